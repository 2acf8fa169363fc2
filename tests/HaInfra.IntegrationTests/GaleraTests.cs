using System.Diagnostics;
using HaInfra.Model.Gtids;
using HaInfra.Operations;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Load;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;
using Xunit.Abstractions;

namespace HaInfra.IntegrationTests;

/// <summary>The Galera drills share one local-galera stack (three nodes and a DR replica) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class GaleraDrills : ICollectionFixture<GaleraStackServers>
{
    public const string Name = "galera";
}

/// <summary>stacks/Pulumi.local-galera.yaml realized locally, and what the Galera drills need.</summary>
public sealed class GaleraStackServers() : LocalStackFixture("local-galera")
{
    public static readonly string[] Nodes = ["g1", "g2", "g3"];

    /// <summary>Every server running, the cluster Synced with three nodes, the DR replica replicating: status healthy.</summary>
    public async Task HealAsync(IStepLog? log = null)
    {
        await NewTarget(Topology, log).UpAsync();
        var status = (await Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems.Select(p => $"{h.Host.Name}: {p}"))));
    }

    /// <summary>A read that first waits until the node has applied everything committed in the cluster before it.</summary>
    public async Task<string?> SyncedScalarAsync(string node, string sql)
    {
        await using var client = await ConnectAsync(node);
        await client.ExecuteAsync("SET SESSION wsrep_sync_wait = 1");
        return await client.ScalarAsync(sql);
    }

    /// <summary>Row (id, v) of galera_it.t written on <paramref name="node"/> (the table made when missing).</summary>
    public Task WriteRowAsync(string node, int id, string v) =>
        ExecuteAsync(node, "CREATE DATABASE IF NOT EXISTS galera_it", "CREATE TABLE IF NOT EXISTS galera_it.t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)",
            $"REPLACE INTO galera_it.t VALUES ({id}, '{v}')");

    /// <summary>The DR replica gdr reaches <paramref name="node"/>'s binlog position within 30 s and holds row (id, v).</summary>
    public async Task AssertDrHasAsync(string node, int id, string v)
    {
        Assert.Equal("0", await ScalarAsync("gdr", $"SELECT MASTER_GTID_WAIT('{await ScalarAsync(node, "SELECT @@gtid_binlog_pos")}', 30)"));
        Assert.Equal(v, await ScalarAsync("gdr", $"SELECT v FROM galera_it.t WHERE id = {id}"));
    }

    public async Task<AckedWriter> WriterAsync(string name) =>
        new(new ServerConnector(), await Target.AppEndpointAsync(CancellationToken.None), name);

    /// <summary>Every acknowledged write exactly once on every server, and one checksum of the drill table everywhere.</summary>
    public async Task AssertEveryAcknowledgedWriteEverywhereAsync(WriteReport report)
    {
        var checks = await Target.CheckWritesAsync(report);
        Assert.Equal(Topology.Hosts.Count(), checks.Count);
        foreach (var check in checks)
        {
            Assert.True(check.Missing.Count == 0, $"{check.Server} lacks {check.Missing.Count} acknowledged writes (first {(check.Missing.Count > 0 ? check.Missing[0] : 0)})");
            Assert.Equal(0, check.Duplicates);
        }

        Assert.Single(checks.Select(c => c.Checksum).Distinct());
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"not within {timeout.TotalSeconds:0} s: {what}");
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// method: galera on real servers: the cluster and its DR link, a node killed under writes and its IST rejoin, a fully
/// stopped (and a fully crashed) cluster started again from its most advanced node, certification conflicts, and the
/// DR replica following another node.
/// </summary>
[Collection(GaleraDrills.Name)]
public sealed class GaleraTests(GaleraStackServers stack, ITestOutputHelper output)
{
    [GaleraFact]
    public async Task Three_nodes_form_one_cluster_and_a_write_on_any_node_reaches_every_server()
    {
        await stack.HealAsync();
        Assert.Contains(stack.Log.Lines, l => l.Contains("g1 started the cluster (--wsrep-new-cluster): a new cluster", StringComparison.Ordinal));
        Assert.Contains(stack.Log.Lines, l => l.Contains("g2 joined by SST", StringComparison.Ordinal));
        Assert.Contains(stack.Log.Lines, l => l.Contains("g3 joined by SST", StringComparison.Ordinal));
        foreach (var node in GaleraStackServers.Nodes)
        {
            var galera = await stack.GaleraAsync(node);
            Assert.Equal(3, galera.ClusterSize);
            Assert.True(galera.IsSynced, $"{node}: {galera.Text}");
            // hainfra:tls: group communication and IST over TLS with the stack's certificate and CA.
            Assert.Contains("socket.ssl = YES", await stack.ScalarAsync(node, "SELECT @@wsrep_provider_options"), StringComparison.Ordinal);
        }

        // The joiners' SSTs ran over TLS, the donor checking the joiner's certificate against the stack's CA.
        foreach (var joiner in new[] { "g2", "g3" })
        {
            var errorLog = await File.ReadAllTextAsync(stack.Paths(joiner).ErrorLog);
            Assert.Contains("Verifying peer certificate chain for ssl-mode=VERIFY_CA", errorLog, StringComparison.Ordinal);
            Assert.Contains("socat -u openssl-listen:", errorLog, StringComparison.Ordinal);
        }

        await stack.ExecuteAsync("g2",
            "CREATE DATABASE IF NOT EXISTS galera_it",
            "CREATE TABLE IF NOT EXISTS galera_it.t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)",
            "REPLACE INTO galera_it.t VALUES (1, 'written on g2')");
        var onG2 = GtidPosition.Parse(await stack.ScalarAsync("g2", "SELECT @@gtid_binlog_pos"));
        Assert.Contains(onG2.Gtids, g => g.Domain == Model.Galera.GaleraCluster.DomainId);
        foreach (var node in new[] { "g1", "g3" })
        {
            Assert.Equal("written on g2", await stack.SyncedScalarAsync(node, "SELECT v FROM galera_it.t WHERE id = 1"));
            // The same GTIDs on every node: what lets the DR replica follow any of them.
            Assert.Equal(onG2, GtidPosition.Parse(await stack.ScalarAsync(node, "SELECT @@gtid_binlog_pos")));
        }

        Assert.Equal("0", await stack.ScalarAsync("gdr", $"SELECT MASTER_GTID_WAIT('{onG2}', 30)"));
        Assert.Equal("written on g2", await stack.ScalarAsync("gdr", "SELECT v FROM galera_it.t WHERE id = 1"));

        // The writer endpoint sends writes to one node: the writer g1. After a drill that killed g1, HAProxy moves writes
        // back to it at its next health check (every 500 ms), which may come just after the heal returned.
        var landed = await stack.Target.WriteThroughEndpointAsync("galera probe", CancellationToken.None);
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); !landed.EndsWith("landed on g1", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(250);
            landed = await stack.Target.WriteThroughEndpointAsync("galera probe", CancellationToken.None);
        }

        Assert.EndsWith("landed on g1", landed);
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.All(GaleraStackServers.Nodes, n => Assert.StartsWith("3 nodes, Synced", status.Hosts.Single(h => h.Host.Name == n).GaleraText));
    }

    [GaleraFact]
    public async Task Kill_9_of_the_writer_node_under_writes_moves_writes_to_another_node_and_it_rejoins_by_ist_with_nothing_lost()
    {
        await stack.HealAsync();
        var writer = await stack.WriterAsync($"galera-kill9-{Environment.TickCount64}");
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => writer.RunAsync(TimeSpan.FromMilliseconds(2), ct: stop.Token));
        await GaleraStackServers.WaitUntilAsync(() => Task.FromResult(writer.Acknowledged > 50), TimeSpan.FromSeconds(20), "the writer got going");

        stack.Crash("g1");
        var killedAt = writer.Acknowledged;
        var killed = Stopwatch.StartNew();
        await GaleraStackServers.WaitUntilAsync(() => Task.FromResult(writer.Acknowledged > killedAt + 50), TimeSpan.FromSeconds(20),
            "writes went on through the endpoint on another node after the writer node was killed");
        output.WriteLine($"writes resumed on a backup node {killed.Elapsed.TotalSeconds:0.00} s after the kill");
        Assert.Equal(2, (await stack.GaleraAsync("g2")).ClusterSize);

        var log = new MemoryStepLog();
        var rejoin = Stopwatch.StartNew();
        await stack.NewTarget(stack.Topology, log).UpAsync();
        output.WriteLine($"local up after the kill: {rejoin.Elapsed.TotalSeconds:0.00} s; {string.Join(" | ", log.Lines.Where(l => l.Contains("galera", StringComparison.Ordinal)))}");
        Assert.Contains(log.Lines, l => l.Contains("g1 joined by IST", StringComparison.Ordinal));
        Assert.Equal(3, (await stack.GaleraAsync("g1")).ClusterSize);

        await Task.Delay(1000);
        await stop.CancelAsync();
        var report = await run;
        output.WriteLine($"{report.Acked.Count} writes acknowledged, {report.Errors} errors, longest gap {report.Gaps.Select(g => g.Seconds).DefaultIfEmpty(0).Max():0.00} s");
        Assert.True(report.Acked.Count > killedAt + 50);
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report);
    }

    [GaleraFact]
    public async Task A_cleanly_stopped_cluster_starts_again_from_the_node_that_left_last()
    {
        await stack.HealAsync();
        await stack.ExecuteAsync("g1", "CREATE DATABASE IF NOT EXISTS galera_it", "CREATE TABLE IF NOT EXISTS galera_it.t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)",
            "REPLACE INTO galera_it.t VALUES (2, 'before the stop')");
        await stack.Target.DownAsync(purge: false, force: false);
        // local down stops the writer node last: Galera marks it as the one safe to start from.
        var states = GaleraStackServers.Nodes.ToDictionary(n => n, n => GrastateFile.Read(stack.Paths(n).DataDir)!);
        Assert.True(states["g1"].SafeToBootstrap, "g1 left last but is not marked safe_to_bootstrap");
        Assert.All(states.Values, s => Assert.True(s.Seqno >= 0, "a clean stop leaves the seqno in grastate.dat"));

        var log = new MemoryStepLog();
        await stack.HealAsync(log);
        Assert.Contains(log.Lines, l => l.Contains("g1 started the cluster (--wsrep-new-cluster): it left the cluster last", StringComparison.Ordinal));
        foreach (var node in GaleraStackServers.Nodes)
        {
            Assert.Equal("before the stop", await stack.SyncedScalarAsync(node, "SELECT v FROM galera_it.t WHERE id = 2"));
        }
    }

    [GaleraFact]
    public async Task A_crashed_cluster_starts_again_from_its_most_advanced_node_and_keeps_the_last_writes()
    {
        await stack.HealAsync();
        await stack.ExecuteAsync("g1", "CREATE DATABASE IF NOT EXISTS galera_it", "CREATE TABLE IF NOT EXISTS galera_it.t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
        // g1 dies first; g2 and g3 (a majority) take one more write that g1 never sees; then both die too.
        stack.Crash("g1");
        await GaleraStackServers.WaitUntilAsync(async () => (await stack.GaleraAsync("g2")).ClusterSize == 2, TimeSpan.FromSeconds(30), "g2 and g3 saw g1 go");
        await stack.ExecuteAsync("g2", "REPLACE INTO galera_it.t VALUES (3, 'after g1 died')");
        Assert.Equal("after g1 died", await stack.SyncedScalarAsync("g3", "SELECT v FROM galera_it.t WHERE id = 3"));
        stack.Crash("g2");
        stack.Crash("g3");
        Assert.All(GaleraStackServers.Nodes, n => Assert.Equal(-1, GrastateFile.Read(stack.Paths(n).DataDir)!.Seqno));

        var log = new MemoryStepLog();
        var clock = Stopwatch.StartNew();
        await stack.HealAsync(log);
        output.WriteLine($"re-bootstrap after a full crash: {clock.Elapsed.TotalSeconds:0.00} s; {string.Join(" | ", log.Lines.Where(l => l.Contains("galera", StringComparison.Ordinal)))}");
        Assert.Contains(log.Lines, l => l.Contains("--wsrep-recover read its position", StringComparison.Ordinal));
        // g2 and g3 hold the last write set; the tie goes to the first of them. Never g1: that would drop the last write.
        Assert.Contains(log.Lines, l => l.Contains("g2 started the cluster (--wsrep-new-cluster, under the cluster's GTID server_id", StringComparison.Ordinal) && l.Contains("it holds the highest seqno", StringComparison.Ordinal));
        Assert.Equal(stack.Topology.Host("g2").ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture), await stack.ScalarAsync("g2", "SELECT @@server_id"));
        foreach (var node in GaleraStackServers.Nodes)
        {
            Assert.Equal("after g1 died", await stack.SyncedScalarAsync(node, "SELECT v FROM galera_it.t WHERE id = 3"));
        }

        var drWait = await stack.ScalarAsync("gdr", $"SELECT MASTER_GTID_WAIT('{await stack.ScalarAsync("g1", "SELECT @@gtid_binlog_pos")}', 30)");
        Assert.Equal("0", drWait);
        Assert.Equal("after g1 died", await stack.ScalarAsync("gdr", "SELECT v FROM galera_it.t WHERE id = 3"));
    }

    [GaleraFact]
    public async Task Conflicting_writes_on_two_nodes_fail_one_client_with_a_deadlock_and_lose_nothing_silently()
    {
        await stack.HealAsync();
        await stack.ExecuteAsync("g1", "CREATE DATABASE IF NOT EXISTS galera_it", "CREATE TABLE IF NOT EXISTS galera_it.counter (id INT PRIMARY KEY, n INT NOT NULL)",
            "REPLACE INTO galera_it.counter VALUES (1, 0)");
        Assert.Equal("0", await stack.SyncedScalarAsync("g2", "SELECT n FROM galera_it.counter WHERE id = 1"));

        await using var onG1 = await stack.ConnectAsync("g1");
        await using var onG2 = await stack.ConnectAsync("g2");
        await onG1.ExecuteAsync("START TRANSACTION");
        await onG1.ExecuteAsync("UPDATE galera_it.counter SET n = n + 1 WHERE id = 1");
        await onG2.ExecuteAsync("START TRANSACTION");
        await onG2.ExecuteAsync("UPDATE galera_it.counter SET n = n + 10 WHERE id = 1");
        // Each node locked the row only locally; certification decides at commit: the first commit wins, the other
        // transaction is aborted and its client told so (a deadlock error), never silently dropped.
        await onG1.ExecuteAsync("COMMIT");
        var refused = await Assert.ThrowsAsync<SqlOperationException>(() => onG2.ExecuteAsync("COMMIT"));
        Assert.Equal(SqlError.Deadlock, refused.Error);
        output.WriteLine($"the losing commit: {refused.Message}");

        foreach (var node in GaleraStackServers.Nodes)
        {
            Assert.Equal("1", await stack.SyncedScalarAsync(node, "SELECT n FROM galera_it.counter WHERE id = 1"));
        }

        var position = await stack.ScalarAsync("g1", "SELECT @@gtid_binlog_pos");
        Assert.Equal("0", await stack.ScalarAsync("gdr", $"SELECT MASTER_GTID_WAIT('{position}', 30)"));
        Assert.Equal("1", await stack.ScalarAsync("gdr", "SELECT n FROM galera_it.counter WHERE id = 1"));
    }

    [GaleraFact]
    public async Task The_dr_replica_keeps_up_and_follows_another_node_when_its_source_node_dies()
    {
        await stack.HealAsync();
        await stack.WriteRowAsync("g1", 4, "via g1");
        await stack.AssertDrHasAsync("g1", 4, "via g1");

        stack.Crash("g1");
        await GaleraStackServers.WaitUntilAsync(async () => (await stack.GaleraAsync("g3")).ClusterSize == 2, TimeSpan.FromSeconds(30), "g2 and g3 saw g1 go");
        await stack.WriteRowAsync("g3", 5, "via g3 while g1 is down");
        var log = new MemoryStepLog();
        var moved = await stack.NewTarget(stack.Topology, log).FollowGaleraNodeAsync();
        Assert.Equal(["gdr"], moved);
        Assert.Contains(log.Lines, l => l.Contains("gdr now replicates from node g2", StringComparison.Ordinal));
        await stack.AssertDrHasAsync("g3", 5, "via g3 while g1 is down");

        // local up brings g1 back (IST) and points the DR replica at the writer node again, by GTID.
        await stack.HealAsync();
        await stack.WriteRowAsync("g1", 6, "via g1 again");
        await stack.AssertDrHasAsync("g1", 6, "via g1 again");
    }

    [GaleraFact]
    public async Task The_monitor_points_the_dr_replica_at_another_node_by_itself_when_its_source_node_dies()
    {
        await stack.HealAsync();
        await stack.WriteRowAsync("g1", 7, "via g1");
        await stack.AssertDrHasAsync("g1", 7, "via g1");
        var log = new MemoryStepLog();
        var target = stack.NewTarget(stack.Topology, log);
        var ctx = target.RoleChange(log);
        var watch = target.GaleraDrWatch(ctx);
        Assert.NotNull(watch);
        using var stop = new CancellationTokenSource();
        var monitor = Task.Run(async () =>
        {
            try
            {
                await new FailoverMonitor(ctx, "test", galeraDr: watch).RunAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test.
            }
        });
        try
        {
            await Task.Delay(1500);
            Assert.DoesNotContain(log.Lines, l => l.Contains("DR link restored", StringComparison.Ordinal));

            stack.Crash("g1");
            var clock = Stopwatch.StartNew();
            await GaleraStackServers.WaitUntilAsync(() => Task.FromResult(log.Lines.Any(l => l.Contains("DR link restored: gdr follows another node", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30), "the monitor pointed gdr at another node");
            output.WriteLine($"gdr moved {clock.Elapsed.TotalSeconds:0.00} s after g1 was killed: {string.Join(" | ", log.Lines.Where(l => l.Contains("gdr", StringComparison.Ordinal)))}");
            Assert.Contains(log.Lines, l => l.Contains("gdr now replicates from node g2", StringComparison.Ordinal));

            await stack.WriteRowAsync("g3", 8, "via g3 after the monitor moved gdr");
            await stack.AssertDrHasAsync("g3", 8, "via g3 after the monitor moved gdr");
        }
        finally
        {
            await stop.CancelAsync();
            await monitor;
        }

        await stack.HealAsync();
    }
}
