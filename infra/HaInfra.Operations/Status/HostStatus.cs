using HaInfra.Model;
using HaInfra.Operations.Replication;

namespace HaInfra.Operations.Status;

/// <summary>One row of a status report: what the stack says of a host, and what its server says.</summary>
public sealed record HostStatus(Host Host, Site Site, string Address, int? Pid, ServerSnapshot? Snapshot, IReadOnlyList<string> Problems)
{
    public bool Reachable => Snapshot is not null;

    public bool Healthy => Reachable && Problems.Count == 0;

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

public sealed record StatusReport(string Stack, IReadOnlyList<HostStatus> Hosts)
{
    public bool Healthy => Hosts.All(h => h.Healthy);
}
