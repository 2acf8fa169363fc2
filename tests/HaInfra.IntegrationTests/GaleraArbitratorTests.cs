using HaInfra.Model;
using HaInfra.Operations.Galera;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The local-galera stack cut to two data nodes (g1, g2) and a garbd arbitrator, without its DR replica.</summary>
public sealed class GaleraArbitratorServers() : LocalStackFixture("local-galera")
{
    protected override Topology Adjust(Topology topology) => topology with
    {
        Sites = [.. topology.Sites.Where(s => s.Name is "main" or "az2")],
        Replication = topology.Replication with { Arbitrator = "arbiter-1.galera.db.internal" },
    };

    public int? GarbdPid => Target.ArbitratorPid;
}

/// <summary>Two data nodes keep taking writes when one is lost, because the arbitrator's vote keeps their majority.</summary>
public sealed class GaleraArbitratorTests(GaleraArbitratorServers stack) : IClassFixture<GaleraArbitratorServers>
{
    [GaleraFact]
    public async Task With_garbd_the_surviving_node_of_two_keeps_the_majority_and_takes_writes_and_local_down_stops_garbd()
    {
        var garbd = stack.GarbdPid;
        Assert.NotNull(garbd);
        Assert.Equal(3, (await stack.GaleraAsync("g1")).ClusterSize);
        var healthy = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.True(healthy.Healthy, string.Join("; ", healthy.Hosts.SelectMany(h => h.Problems)));

        stack.Crash("g2");
        GaleraNodeStatus survivor;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(250);
            survivor = await stack.GaleraAsync("g1");
        }
        while (survivor.ClusterSize != 2 && clock.Elapsed < TimeSpan.FromSeconds(30));

        // Without the arbitrator g1 alone would hold 1 of 2 votes: a non-Primary component that refuses writes.
        Assert.Equal(2, survivor.ClusterSize);
        Assert.Equal("Primary", survivor.ClusterStatus);
        await stack.ExecuteAsync("g1", "CREATE DATABASE IF NOT EXISTS arb", "CREATE TABLE IF NOT EXISTS arb.t (id INT PRIMARY KEY)", "INSERT INTO arb.t VALUES (1)");
        var degraded = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.Contains(degraded.Hosts.SelectMany(h => h.Problems), p => p.Contains("sees 2 of 3 members (2 nodes and the arbitrator)", StringComparison.Ordinal));

        await stack.Target.UpAsync();
        Assert.Equal(3, (await stack.GaleraAsync("g2")).ClusterSize);
        Assert.Equal("1", await stack.ScalarAsync("g2", "SELECT COUNT(*) FROM arb.t"));

        await stack.Target.DownAsync(purge: false, force: false);
        Assert.Null(stack.GarbdPid);
        Assert.True(await ProcessState.ExitsWithinAsync(garbd!.Value, TimeSpan.FromSeconds(5)), $"garbd (pid {garbd}) still runs after local down");
    }
}
