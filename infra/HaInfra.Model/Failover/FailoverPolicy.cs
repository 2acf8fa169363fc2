namespace HaInfra.Model.Failover;

/// <summary>
/// hainfra:failover: how the primary region keeps a writable primary. Automatic failover only ever promotes a host
/// of the primary region (the primary site and same-city sites); a remote (DR) site is promoted by an operator.
/// </summary>
/// <param name="Auto">The monitor fails over by itself when the primary is dead.</param>
/// <param name="CheckInterval">How often the monitor probes the primary.</param>
/// <param name="FailureCount">Consecutive failed probes before the primary counts as unreachable from the monitor.</param>
/// <param name="Deadline">One overall deadline for a switchover or failover, rollback included.</param>
/// <param name="AntiFlap">No second automatic failover within this window without an operator.</param>
/// <param name="MaxLagSeconds">A switchover candidate may be at most this far behind when it starts.</param>
/// <param name="NeverPromote">Hosts that are never chosen as the new primary.</param>
public sealed record FailoverPolicy(
    bool Auto,
    TimeSpan CheckInterval,
    int FailureCount,
    TimeSpan Deadline,
    TimeSpan AntiFlap,
    int MaxLagSeconds,
    IReadOnlyList<string> NeverPromote)
{
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromMilliseconds(500);
    public const int DefaultFailureCount = 3;
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultAntiFlap = TimeSpan.FromHours(1);
    public const int DefaultMaxLagSeconds = 10;

    public static FailoverPolicy Default(bool auto) =>
        new(auto, DefaultCheckInterval, DefaultFailureCount, DefaultDeadline, DefaultAntiFlap, DefaultMaxLagSeconds, []);

    /// <summary>How long a dead primary goes unnoticed by the monitor's own probe at most (before the replicas are asked).</summary>
    public TimeSpan DetectionTime => CheckInterval * FailureCount;

    public bool MayPromote(Host host) => !NeverPromote.Contains(host.Name, StringComparer.Ordinal);
}
