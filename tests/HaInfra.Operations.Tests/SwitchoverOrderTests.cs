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

/// <summary>The switchover's step order and its rollback, against fake servers (the integration tests run it on real ones).</summary>
public class SwitchoverOrderTests
{
    private readonly Topology _topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "local").Topology!;
    private readonly FakeCluster _cluster = new();
    private readonly MemoryTermStore _terms = new();

    public SwitchoverOrderTests()
    {
        var port = 3306;
        foreach (var host in _topology.Hosts)
        {
            _cluster.Add(host.Name, host.ServerId, port++);
        }

        var primary = _cluster.Servers["db1"];
        primary.BinlogState = GtidPosition.Parse($"0-{primary.ServerId}-10");
        primary.SemiSyncSource = true;
        foreach (var replica in new[] { "db2", "db3" })
        {
            var server = _cluster.Servers[replica];
            server.ReadOnly = true;
            server.BinlogState = primary.BinlogState;
            server.SlavePos = primary.BinlogPos;
            server.Channel = new FakeChannel { Host = "127.0.0.1", Port = 3306, User = ReplicationAccount.DefaultUser, Running = true };
        }

        _cluster.Servers["db2"].SemiSyncClients = 1;
    }

    private Switchover Switchover() => new(FakeRoleChange.Context(_topology, _cluster, _terms));

    [Fact]
    public async Task Fence_then_catch_up_then_promote_then_repoint_then_term_then_endpoint()
    {
        var result = await Switchover().RunAsync("db2", TimeSpan.FromSeconds(10), "test");

        var log = _cluster.Log;
        int At(string line) => log.FindIndex(l => l.StartsWith(line, StringComparison.Ordinal)) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no '{line}' in:\n{string.Join("\n", log)}");
        var order = new[]
        {
            At("endpoint: detach db1"), At("db1: SET GLOBAL read_only = ON"), At("db2: SELECT MASTER_GTID_WAIT"), At("db2: RESET SLAVE ALL"),
            At("db1: CHANGE MASTER TO"), At("db2: INSERT INTO hainfra.term"), At("db2: SET GLOBAL read_only = OFF"), At("endpoint: route db2"),
        };
        Assert.Equal(order.Order(), order);
        Assert.Equal("db2", result.Term.Primary);
        Assert.Equal(1, result.Term.Term);
        Assert.Equal("db2", (await _terms.ReadAsync()).Current!.Primary);
        Assert.Null((await _terms.ReadAsync()).Pending);
        Assert.Equal(3307, _cluster.Servers["db3"].Channel!.Port);
        Assert.False(_cluster.Servers["db1"].SemiSyncSource);
    }

    [Fact]
    public async Task A_failed_promotion_rolls_back_to_a_writable_old_primary_behind_the_endpoint()
    {
        _cluster.Servers["db2"].FailOn = text => text == "RESET SLAVE ALL";

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Switchover().RunAsync("db2", TimeSpan.FromSeconds(10), "test"));

        Assert.Contains("failed at step 'promote'", error.Problem);
        Assert.Contains("rolled back", error.Problem);
        var log = _cluster.Log;
        Assert.True(log.FindLastIndex(l => l == "db1: SET GLOBAL read_only = OFF") > log.FindIndex(l => l == "db1: SET GLOBAL read_only = ON"));
        Assert.Equal("endpoint: route db1", log.Last(l => l.StartsWith("endpoint: ", StringComparison.Ordinal)));
        Assert.DoesNotContain(log, l => l.Contains("INSERT INTO hainfra.term", StringComparison.Ordinal));
        Assert.Null((await _terms.ReadAsync()).Pending);
        Assert.Null((await _terms.ReadAsync()).Current);
    }

    [Fact]
    public async Task A_change_already_claimed_by_another_actor_is_refused_before_anything_is_written()
    {
        await _terms.UpdateAsync(s => s with { Pending = new PendingChange("failover", "db1", "db2", "monitor x", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1)) });

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => Switchover().RunAsync("db2", TimeSpan.FromSeconds(10), "test"));

        Assert.Contains("another role change holds", error.Problem);
        Assert.Empty(_cluster.Writes);
    }
}

/// <summary>An in-memory term store with the same compare-and-set as the real ones.</summary>
internal sealed class MemoryTermStore : ITermStore
{
    private readonly Lock _gate = new();
    private TermState _state = TermState.Empty;

    public string Describe => "memory";

    public Task<TermState> ReadAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_state);
        }
    }

    public Task<TermState?> TryUpdateAsync(long expectedVersion, Func<TermState, TermState> change, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_state.Version != expectedVersion)
            {
                return Task.FromResult<TermState?>(null);
            }

            _state = change(_state) with { Version = expectedVersion + 1 };
            return Task.FromResult<TermState?>(_state);
        }
    }
}
