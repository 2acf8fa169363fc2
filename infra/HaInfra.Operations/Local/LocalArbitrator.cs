using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>
/// The Galera arbitrator of a stack that declares one (hainfra:replication.arbitrator): garbd, from Debian's
/// galera-arbitrator-4, run on this machine as that machine would run it — a cluster member with a vote and no data,
/// on a loopback port of its own. With it, two data nodes keep a majority (2 of 3 votes) when one is lost.
/// </summary>
internal sealed class LocalArbitrator(Topology topology, LocalState state, LocalPaths paths, Func<Host, string> addressOf, IStepLog log)
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public static bool Applies(Topology topology) => GaleraCluster.Applies(topology) && topology.Replication.Arbitrator is not null;

    private string PidFile => Path.Combine(paths.Root, "garbd.pid");

    public string LogFile => Path.Combine(paths.Root, "garbd.log");

    /// <summary>What marks the process as this stack's garbd: its listen port is on its command line.</summary>
    private string Marker => $"tcp://127.0.0.1:{Port}";

    private int Port => state.ArbitratorPort ?? throw new InvalidOperationException("the arbitrator has no port yet (LocalPortPlan assigns it)");

    public int? RunningPid => state.ArbitratorPort is null ? null : Daemon.RunningPid(PidFile, "garbd", Marker);

    /// <summary>Starts garbd when it does not run, and waits until <paramref name="node"/> counts it as a member.</summary>
    public async Task EnsureAsync(ISqlConnector connector, SqlEndpoint node, CancellationToken ct)
    {
        if (RunningPid is not null)
        {
            return;
        }

        var garbd = MariaDbBinaries.Which("garbd") ?? throw new OperationFailedException(
            $"the stack declares a Galera arbitrator ({topology.Replication.Arbitrator}) and garbd is not installed.",
            "apt-get install galera-arbitrator-4 (scripts/install-prereqs does), then run local up again.");
        GaleraNodeStatus before;
        await using (var client = await connector.ConnectAsync(node, ct))
        {
            before = await GaleraNodeStatus.ReadAsync(client, ct) ?? throw new OperationFailedException(
                $"{node.Name} has wsrep off; garbd has no cluster to join.", $"read {node.Name}'s error log (WSREP lines); local status shows every node's state.");
        }

        await Daemon.SpawnAsync(garbd,
            ["--name", "arbitrator", "--address", GaleraOverlay.ClusterAddress(topology, state, addressOf), "--group", GaleraCluster.Name(topology), "--options", $"gmcast.listen_addr={Marker}{GaleraOverlay.SslOptions(topology.Tls ? paths.TlsDir : null)}"],
            PidFile, LogFile);
        var status = await GaleraWait.SyncedAsync(connector, node, before.ClusterSize + 1, JoinTimeout, ct);
        log.Step("galera", $"arbitrator garbd (pid {RunningPid?.ToString(CultureInfo.InvariantCulture) ?? "?"}) joined on {Marker} for {topology.Replication.Arbitrator}: " +
            $"{status.ClusterSize} members, {GaleraCluster.Nodes(topology).Count} with data; log {LogFile}");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (RunningPid is { } pid && await Daemon.StopAsync(PidFile, ["garbd", Marker], TimeSpan.FromSeconds(10), ct))
        {
            log.Step("stop", $"arbitrator garbd (pid {pid}) stopped");
        }
    }
}
