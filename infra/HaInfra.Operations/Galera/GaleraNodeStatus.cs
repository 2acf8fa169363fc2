using System.Globalization;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Galera;

/// <summary>
/// One node's view of its Galera cluster (SHOW GLOBAL STATUS LIKE 'wsrep_%'): how many nodes it sees, whether it is
/// in the primary component and synced, and how much flow control and its apply queue hold writes back.
/// </summary>
/// <param name="FlowControlPaused">Fraction of time since the last FLUSH STATUS that replication was paused by flow control.</param>
public sealed record GaleraNodeStatus(
    int ClusterSize, string State, string ClusterStatus, bool Ready, double FlowControlPaused, long RecvQueue, string ClusterUuid, long LastCommitted)
{
    /// <summary>wsrep_local_state 4: the node has applied everything and takes part in certification.</summary>
    public const string Synced = "Synced";

    public bool IsSynced => State == Synced && ClusterStatus == "Primary" && Ready;

    public string Text => $"{ClusterSize} nodes, {State}{(ClusterStatus == "Primary" ? "" : $", {ClusterStatus} component")}, fc paused {FlowControlPaused:0.###}, recv queue {RecvQueue}";

    private static readonly string[] Names =
        ["wsrep_cluster_size", "wsrep_local_state_comment", "wsrep_cluster_status", "wsrep_ready", "wsrep_flow_control_paused",
         "wsrep_local_recv_queue", "wsrep_cluster_state_uuid", "wsrep_last_committed"];

    /// <summary>Null on a server without wsrep (wsrep_on OFF or no provider loaded).</summary>
    public static async Task<GaleraNodeStatus?> ReadAsync(ISqlClient client, CancellationToken ct)
    {
        var s = await client.VariablesAsync("STATUS", Names, ct);
        if (!s.TryGetValue("wsrep_cluster_size", out var size) || size is null || !s.ContainsKey("wsrep_local_state_comment"))
        {
            return null;
        }

        return new GaleraNodeStatus(
            int.Parse(size, CultureInfo.InvariantCulture),
            s.GetValueOrDefault("wsrep_local_state_comment") ?? "",
            s.GetValueOrDefault("wsrep_cluster_status") ?? "",
            s.GetValueOrDefault("wsrep_ready") == "ON",
            double.TryParse(s.GetValueOrDefault("wsrep_flow_control_paused"), NumberStyles.Float, CultureInfo.InvariantCulture, out var paused) ? paused : 0,
            long.TryParse(s.GetValueOrDefault("wsrep_local_recv_queue"), CultureInfo.InvariantCulture, out var queue) ? queue : 0,
            s.GetValueOrDefault("wsrep_cluster_state_uuid") ?? "",
            long.TryParse(s.GetValueOrDefault("wsrep_last_committed"), CultureInfo.InvariantCulture, out var last) ? last : -1);
    }
}
