using HaInfra.Model;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Status;

/// <summary>One row of a status report: what the stack says of a host, and what its server says.</summary>
public sealed record HostStatus(Host Host, Site Site, string Address, int? Pid, ServerSnapshot? Snapshot, IReadOnlyList<string> Problems)
{
    /// <summary>A Galera node's wsrep status (method: galera); null for other hosts.</summary>
    public HaInfra.Operations.Galera.GaleraNodeStatus? Galera { get; init; }

    public string GaleraText => Galera?.Text ?? "-";

    public bool Reachable => Snapshot is not null;

    public bool Healthy => Reachable && Problems.Count == 0;

    /// <summary>"active" or "passive" for the two writers of an active-passive pair; null otherwise.</summary>
    public string? PairRole { get; init; }

    public string ReplicationText => Snapshot?.Channel is { } c
        ? $"{c.IoRunning}/{(c.SqlRunning ? "Yes" : "No")}"
        : Host.Role == HostRole.Primary ? "-" : "not configured";

    public string LagText => Snapshot?.Channel?.SecondsBehind is { } lag ? $"{lag} s" : Snapshot?.Channel is null ? "-" : "unknown";

    public string SemiSyncText => Snapshot is not { } s
        ? "-"
        : Host.Role == HostRole.Primary
            ? s.SemiSync.SourceEnabled ? $"source {(s.SemiSync.SourceActive ? "ON" : "OFF (fell back)")}, {s.SemiSync.SourceClients} replica(s)" : "source off"
            : s.SemiSync.ReplicaEnabled ? $"replica {(s.SemiSync.ReplicaActive ? "ON" : "enabled, not active")}" : "async";
}

/// <param name="Term">The term in force (the live primary's); null before the first bootstrap.</param>
/// <param name="InitialPrimary">The config's first primary-site host: the primary only until the first role change.</param>
/// <param name="PassiveWrites">Writes that reached the active through the passive of an active-passive pair (see <see cref="Status.PassiveWrites"/>).</param>
public sealed record StatusReport(string Stack, IReadOnlyList<HostStatus> Hosts, Failover.TermRecord? Term = null, string? InitialPrimary = null, PassiveWrites? PassiveWrites = null)
{
    public string PrimaryLine => Term is null
        ? $"primary: {Hosts.FirstOrDefault(h => h.Host.Role == HostRole.Primary)?.Host.Name} (no term recorded yet; the configured initial primary)"
        : $"primary: {Term.Primary} (term {Term.Term}, {Term.Kind}{(Term.Previous is null ? "" : $" from {Term.Previous}")} at {Term.At:yyyy-MM-dd HH:mm:ss}Z); configured initial primary: {InitialPrimary}";

    public bool Healthy => Hosts.All(h => h.Healthy);
}
