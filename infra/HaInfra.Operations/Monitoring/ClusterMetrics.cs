using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Monitoring;

/// <summary>
/// What the failover monitor knows that mysqld_exporter cannot tell, written for each host's textfile collector:
/// the live primary and its term, errant GTIDs (a replica's binlog state against the primary's) and the replication
/// threads' last error text (the exporter drops text columns). The file's modification time doubles as the
/// monitor's heartbeat (HaInfraFailoverMonitorDown).
/// </summary>
public sealed class ClusterMetrics(RoleChangeContext ctx, Func<string, string> textfileDirOf)
{
    public const string FileName = "hainfra-monitor.prom";

    private static readonly Dictionary<string, string> Help = new(StringComparer.Ordinal)
    {
        ["hainfra_is_live_primary"] = "1 on the host that holds the current term (the live primary), 0 elsewhere.",
        ["hainfra_primary_term"] = "The term in force (it grows by one with every switchover, failover or promotion).",
        ["hainfra_errant_gtid_transactions"] = "GTID entries (domain-server_id) of this replica's binlog state with transactions the primary never had; 0 when none.",
        ["hainfra_replication_error_info"] = "1 while the replication IO or SQL thread reports an error; the text is the error label.",
        ["hainfra_server_reachable"] = "1 when the monitor could read this server in its last round.",
    };

    public async Task WriteAsync(CancellationToken ct)
    {
        var state = await ctx.Terms.ReadAsync(ct);
        var primary = LivePrimary.Decide(ctx.Topology, state.Current, new Dictionary<string, TermRecord?>()).Primary.Name;
        var views = await ClusterProbe.ReadAsync(ctx.Topology, ctx.Connector, ctx.Admin, ClusterProbe.DefaultTimeout, ct, last: primary);
        var primaryState = views[primary].Snapshot?.BinlogState;
        foreach (var host in ctx.Topology.Hosts)
        {
            var snapshot = views[host.Name].Snapshot;
            List<MetricSample> samples =
            [
                new("hainfra_is_live_primary", host.Name == primary ? 1 : 0),
                new("hainfra_primary_term", state.Current?.Term ?? 0),
                new("hainfra_server_reachable", snapshot is null ? 0 : 1),
            ];
            if (host.Name != primary && snapshot is not null && primaryState is not null)
            {
                samples.Add(new("hainfra_errant_gtid_transactions", snapshot.BinlogState.NotIn(primaryState).Gtids.Count));
            }

            if (snapshot?.Channel is { } channel)
            {
                if (channel.LastIoErrno != 0 && !string.IsNullOrEmpty(channel.LastIoError))
                {
                    samples.Add(new("hainfra_replication_error_info", 1, ("thread", "io"), ("errno", channel.LastIoErrno.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("error", channel.LastIoError)));
                }

                if (channel.LastSqlErrno != 0 && !string.IsNullOrEmpty(channel.LastSqlError))
                {
                    samples.Add(new("hainfra_replication_error_info", 1, ("thread", "sql"), ("errno", channel.LastSqlErrno.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("error", channel.LastSqlError)));
                }
            }

            TextfileMetrics.Write(textfileDirOf(host.Name), FileName, Help, samples);
        }
    }
}
