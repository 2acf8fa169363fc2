namespace HaInfra.Operations.Failover;

/// <summary>
/// One term of the topology: which host became the writable primary, when and how. The term number only grows, one
/// per promotion, so the highest term names the live primary; a stale primary that comes back claims a lower term.
/// </summary>
/// <param name="ServerId">The primary's server_id, so a GTID's origin can be tied to the terms that wrote it.</param>
/// <param name="Kind">bootstrap, switchover or failover.</param>
/// <param name="ForkGtid">The new primary's gtid_binlog_state before its first write as primary: where a former primary's
/// history and the new one part (what a returning old primary is rewound to).</param>
public sealed record TermRecord(long Term, string Primary, uint ServerId, string Kind, string? Previous, string ForkGtid, DateTimeOffset At)
{
    public const string Bootstrap = "bootstrap";
    public const string Switchover = "switchover";
    public const string Failover = "failover";

    public override string ToString() => $"term {Term}: {Primary} ({Kind}{(Previous is null ? "" : $" from {Previous}")}, {At:yyyy-MM-dd HH:mm:ss}Z)";
}

/// <summary>A role change under way: the lease that lets exactly one operation or monitor act at a time.</summary>
/// <param name="Owner">Who holds it (a monitor's id, or "operator" with the verb), for the message a second actor gets.</param>
/// <param name="Machine">The holder's machine and <paramref name="Pid"/> its process: a lease whose holder died on
/// this machine (killed in the middle of its steps) is abandoned, not held until it expires.</param>
public sealed record PendingChange(
    string Operation, string From, string To, string Owner, DateTimeOffset Started, DateTimeOffset Expires, string? Machine = null, int? Pid = null)
{
    /// <summary>A lease of this process, for the role change about to run.</summary>
    public static PendingChange Mine(string operation, string from, string to, string owner, DateTimeOffset now, TimeSpan deadline) =>
        new(operation, from, to, owner, now, now + deadline, Environment.MachineName, Environment.ProcessId);

    /// <summary>Its holder ran on this machine and is gone (the reliability suite's killed switchovers left such leases).</summary>
    public bool IsAbandoned => Machine == Environment.MachineName && Pid is { } pid && !Local.ProcessControl.IsAlive(pid);
}

/// <summary>What the term store holds: the current term, a change under way, and when the last automatic failover happened.</summary>
/// <param name="Version">Grows with every write; writers compare it to detect a concurrent change.</param>
public sealed record TermState(long Version, TermRecord? Current, PendingChange? Pending, DateTimeOffset? LastAutomaticFailover)
{
    public static TermState Empty { get; } = new(0, null, null, null);

    public bool IsBusy(DateTimeOffset now) => Pending is { } p && p.Expires > now && !p.IsAbandoned;
}
