using System.Diagnostics;
using System.Text.RegularExpressions;
using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>
/// Starts the stopped nodes of a local Galera cluster in the only safe order. A fully stopped cluster is started
/// from its most advanced node with --wsrep-new-cluster (see <see cref="BootstrapNodeChoice"/>); every other node then
/// joins one at a time (a joiner takes its donor out of rotation while it copies), by IST when the donor's gcache still
/// holds what it missed, else by SST (mariabackup), and is waited for until it is Synced.
/// </summary>
internal sealed partial class LocalGaleraStart(Topology topology, IReadOnlyDictionary<string, LocalServer> servers, MariaDbBinaries binaries, ISqlConnector connector, IStepLog log)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(180);

    /// <summary>Positions --wsrep-recover found, by node: it runs once per node and start.</summary>
    private readonly Dictionary<string, (string Uuid, long Seqno)?> _recovered = new(StringComparer.Ordinal);

    /// <summary>Returns how many nodes it started.</summary>
    public async Task<int> StartAsync(CancellationToken ct)
    {
        var nodes = GaleraCluster.Nodes(topology).Select(n => servers[n.Name]).ToList();
        var stopped = nodes.Where(s => !s.IsRunning).ToList();
        if (stopped.Count == 0)
        {
            return 0;
        }

        var count = stopped.Count;
        if (stopped.Count == nodes.Count)
        {
            var choice = BootstrapNodeChoice.Decide(await PositionsAsync(nodes, ct));
            var first = servers[choice.Node];
            if (choice.MarkSafe)
            {
                GrastateFile.MarkSafeToBootstrap(first.Paths.DataDir);
            }

            var clock = Stopwatch.StartNew();
            // wsrep_gtid_mode: a new cluster gives its GTIDs the server_id of the node that starts it, and restarts the
            // sequence for a server_id new to the binlog. Measured on 10.11: restarted from g2 after a full crash, the
            // cluster went on at 1-<g2>-1 after 1-<g1>-2964, and gtid_strict_mode stopped every node's applier (error
            // 1950). So a node other than the first starts the cluster under the cluster's GTID server_id (the first
            // node's), which the sequence continues from, and is restarted with its own once the others have joined
            // (server_id cannot be changed at run time under wsrep_gtid_mode): joiners keep the cluster's GTID identity.
            var gtidServerId = GaleraCluster.Nodes(topology)[0].ServerId;
            string[] serverId = topology.Host(first.Name).ServerId == gtidServerId ? [] : [$"--server-id={gtidServerId}"];
            await first.StartAsync(ct, ["--wsrep-new-cluster", .. await StartPositionAsync(first, ct), .. serverId]);
            await GaleraWait.SyncedAsync(connector, first.Admin, 1, SyncTimeout, ct);
            log.Step("galera", $"{first.Name} started the cluster (--wsrep-new-cluster{(serverId.Length > 0 ? $", under the cluster's GTID server_id {gtidServerId}" : "")}): {choice.Why}{(choice.MarkSafe ? "; its grastate.dat was marked safe_to_bootstrap" : "")}; in {Seconds(clock)}");
            stopped.Remove(first);
            if (serverId.Length > 0)
            {
                await JoinAllAsync(nodes, stopped, ct);
                await first.StopAsync(ct);
                log.Step("galera", $"{first.Name} stopped, to rejoin with its own server_id");
                await JoinAllAsync(nodes, [first], ct);
                return count;
            }
        }

        await JoinAllAsync(nodes, stopped, ct);
        return count;
    }

    /// <summary>Starts each node in turn and waits until it is Synced: one joiner at a time.</summary>
    private async Task JoinAllAsync(List<LocalServer> nodes, List<LocalServer> stopped, CancellationToken ct)
    {
        foreach (var node in stopped)
        {
            var clock = Stopwatch.StartNew();
            var logOffset = File.Exists(node.Paths.ErrorLog) ? new FileInfo(node.Paths.ErrorLog).Length : 0;
            await node.StartAsync(ct, await StartPositionAsync(node, ct));
            var members = nodes.Count(n => n.IsRunning);
            var status = await GaleraWait.SyncedAsync(connector, node.Admin, members, SyncTimeout, ct);
            log.Step("galera", $"{node.Name} joined {How(node, logOffset)} and is Synced ({status.ClusterSize} nodes) in {Seconds(clock)}");
        }
    }

    /// <summary>Each node's last committed write set: grastate.dat after a clean stop, --wsrep-recover after a crash.</summary>
    private async Task<List<NodePosition>> PositionsAsync(List<LocalServer> nodes, CancellationToken ct)
    {
        var positions = new List<NodePosition>();
        foreach (var node in nodes)
        {
            var state = GrastateFile.Read(node.Paths.DataDir);
            if (state is null || state.Empty)
            {
                positions.Add(new NodePosition(node.Name, false, null, null, false));
                continue;
            }

            var seqno = state.Seqno >= 0 ? state.Seqno : (await RecoverAsync(node, ct))?.Seqno;
            if (state.Seqno < 0)
            {
                log.Step("galera", $"{node.Name} did not stop cleanly (grastate.dat seqno -1); --wsrep-recover read its position from InnoDB: {seqno?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            }

            positions.Add(new NodePosition(node.Name, true, state.Uuid, seqno, state.SafeToBootstrap));
        }

        return positions;
    }

    /// <summary>
    /// A node that crashed has seqno -1 in grastate.dat: started as it is, it would ask for a full SST (and lose its binlog
    /// history, which the DR replica may need). Its position is recovered from InnoDB first and given as
    /// --wsrep-start-position, as the galera_recovery script of a packaged install does, so it rejoins by IST.
    /// </summary>
    private async Task<string[]> StartPositionAsync(LocalServer node, CancellationToken ct)
    {
        if (GrastateFile.Read(node.Paths.DataDir) is not { Empty: false, Seqno: < 0 } || await RecoverAsync(node, ct) is not { } recovered)
        {
            return [];
        }

        log.Step("galera", $"{node.Name} did not stop cleanly; --wsrep-recover found its last commit {recovered.Uuid}:{recovered.Seqno}, given as its start position (a joiner then needs only an IST)");
        return [$"--wsrep-start-position={recovered.Uuid}:{recovered.Seqno}"];
    }

    /// <summary>mariadbd --wsrep-recover: crash recovery only, then it logs the last committed position and exits.</summary>
    private async Task<(string Uuid, long Seqno)?> RecoverAsync(LocalServer node, CancellationToken ct)
    {
        if (_recovered.TryGetValue(node.Name, out var known))
        {
            return known;
        }

        Directory.CreateDirectory(node.Paths.TmpDir);
        var logFile = Path.Combine(node.Paths.TmpDir, "wsrep-recover.log");
        File.Delete(logFile);
        await ProcessRunner.RunAsync(binaries.Server, [$"--defaults-file={node.Paths.LocalCnf}", "--wsrep-recover", $"--log-error={logFile}"], ct);
        var text = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, ct) : "";
        var match = Recovered().Match(text);
        return _recovered[node.Name] = match.Success ? (match.Groups[1].Value, long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>How the node caught up, from what its error log says since it was started.</summary>
    private static string How(LocalServer node, long offset)
    {
        using var stream = new FileStream(node.Paths.ErrorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        // The SST script runs for an IST too and says which it did ("mariabackup SST|IST completed on joiner"); an SST
        // is followed by an IST of what was committed while it copied, so the SST line is what tells.
        return text.Contains("SST completed on joiner", StringComparison.Ordinal) ? "by SST (a full mariabackup copy from a donor)"
            : text.Contains("IST completed on joiner", StringComparison.Ordinal) || text.Contains("IST received", StringComparison.Ordinal) ? "by IST (only the write sets it missed)"
            : "with nothing to transfer";
    }

    private static string Seconds(Stopwatch clock) => $"{clock.Elapsed.TotalSeconds:0.00} s";

    [GeneratedRegex(@"Recovered position:\s*([0-9a-f-]+):(-?\d+)")]
    private static partial Regex Recovered();
}
