using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Endpoint;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>A switchover inside an active-passive pair, against fake servers: no writer is repointed, the rest follow.</summary>
public class ActivePassiveSwitchoverOrderTests
{
    private readonly Topology _topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "local-ap").Topology!;
    private readonly FakeCluster _cluster = new();
    private readonly MemoryTermStore _terms = new();

    public ActivePassiveSwitchoverOrderTests()
    {
        var port = 3306;
        foreach (var host in _topology.Hosts)
        {
            _cluster.Add(host.Name, host.ServerId, port++);
        }

        var active = _cluster.Servers["ap1"];
        active.BinlogState = GtidPosition.Parse($"1-{active.ServerId}-10");
        active.SlavePos = active.BinlogPos;
        active.SemiSyncSource = true;
        active.SemiSyncReplica = true;
        // The ring: the active replicates from the passive.
        active.Channel = new FakeChannel { Host = "127.0.0.1", Port = 3307, User = ReplicationAccount.DefaultUser, Running = true };
        foreach (var replica in new[] { "ap2", "ap3", "ap4" })
        {
            var server = _cluster.Servers[replica];
            server.ReadOnly = true;
            server.BinlogState = active.BinlogState;
            server.SlavePos = active.BinlogPos;
            server.SemiSyncReplica = replica != "ap4";
            server.Channel = new FakeChannel { Host = "127.0.0.1", Port = 3306, User = ReplicationAccount.DefaultUser, Running = true };
        }

        active.SemiSyncClients = 2;
    }

    private Switchover Switchover() => new(FakeRoleChange.Context(_topology, _cluster, _terms));

    private int At(string line) =>
        _cluster.Log.FindIndex(l => l.StartsWith(line, StringComparison.Ordinal)) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no '{line}' in:\n{string.Join("\n", _cluster.Log)}");

    [Fact]
    public async Task The_flip_fences_waits_keeps_the_ring_repoints_only_the_other_replicas_then_records_the_term_and_moves_the_endpoint()
    {
        var result = await Switchover().RunAsync(null, TimeSpan.FromSeconds(10), "test");

        var order = new[]
        {
            At("endpoint: detach ap1"), At("ap1: SET GLOBAL read_only = ON"), At("ap2: SELECT MASTER_GTID_WAIT"), At("ap2: SET GLOBAL rpl_semi_sync_master_enabled = ON"),
            At("ap1: STOP SLAVE IO_THREAD"), At("ap3: CHANGE MASTER TO"), At("ap2: INSERT INTO hainfra.term"), At("ap2: SET GLOBAL read_only = OFF"), At("endpoint: route ap2"),
        };
        Assert.Equal(order.Order(), order);
        Assert.Equal("ap2", result.Term.Primary);
        Assert.DoesNotContain(_cluster.Log, l => l is "ap2: RESET SLAVE ALL" || l.StartsWith("ap1: CHANGE MASTER TO", StringComparison.Ordinal) || l.StartsWith("ap2: CHANGE MASTER TO", StringComparison.Ordinal));
        Assert.Equal(3307, _cluster.Servers["ap1"].Channel!.Port);
        Assert.Equal(3306, _cluster.Servers["ap2"].Channel!.Port);
        Assert.Equal(3307, _cluster.Servers["ap3"].Channel!.Port);
        Assert.Equal(3307, _cluster.Servers["ap4"].Channel!.Port);
        Assert.False(_cluster.Servers["ap1"].SemiSyncSource);
        Assert.True(_cluster.Servers["ap1"].ReadOnly);
    }

    [Fact]
    public async Task A_flip_that_fails_at_promotion_leaves_the_active_writable_and_the_passive_a_passive()
    {
        _cluster.Servers["ap2"].FailOn = text => text == "SET GLOBAL rpl_semi_sync_master_enabled = ON";

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Switchover().RunAsync(null, TimeSpan.FromSeconds(10), "test"));

        Assert.Contains("failed at step 'promote'", error.Problem, StringComparison.Ordinal);
        Assert.False(_cluster.Servers["ap1"].ReadOnly);
        Assert.Equal("endpoint: route ap1", _cluster.Log.Last(l => l.StartsWith("endpoint: ", StringComparison.Ordinal)));
        Assert.Equal(3307, _cluster.Servers["ap1"].Channel!.Port);
        Assert.Equal(3306, _cluster.Servers["ap2"].Channel!.Port);
        Assert.True(_cluster.Servers["ap2"].ReadOnly);
        Assert.Null((await _terms.ReadAsync()).Current);
    }
}
