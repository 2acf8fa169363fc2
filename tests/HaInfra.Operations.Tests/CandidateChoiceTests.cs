using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Replication;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>The pure choice of the host to promote: region, neverPromote, reachability, errant GTIDs, most received.</summary>
public class CandidateChoiceTests
{
    private readonly Topology _prod = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;

    private static ServerSnapshot Snapshot(string name, uint id, string binlogState, string ioPos, long lag = 0, bool running = true, int sqlErrno = 0) => new(
        name, ServerFlavor.MariaDb, new ServerVersion(10, 11, 19), id, true,
        GtidPosition.Parse(binlogState).PerDomain(), GtidPosition.Parse(binlogState), GtidPosition.Parse(binlogState).PerDomain(), GtidPosition.Parse(binlogState).PerDomain(),
        GtidPosition.Empty, 3,
        new ReplicaChannel("127.0.0.1", 1, "hainfra_repl", running ? "Yes" : "Connecting", running || sqlErrno == 0, lag, "Slave_Pos", true, 0, null, sqlErrno, sqlErrno == 0 ? null : "boom", GtidPosition.Parse(ioPos)),
        new SemiSyncState(false, false, 0, true, true));

    private Dictionary<string, HostView> Views(params (string Host, ServerSnapshot? Snapshot)[] rows)
    {
        var views = _prod.Hosts.ToDictionary(h => h.Name, h => new HostView(h.Name, null, null, "unreachable"), StringComparer.Ordinal);
        foreach (var (host, snapshot) in rows)
        {
            views[host] = new HostView(host, snapshot, null, snapshot is null ? "unreachable" : null);
        }

        return views;
    }

    private uint Id(string host) => _prod.Host(host).ServerId;

    [Fact]
    public void Failover_picks_the_host_that_received_the_most_not_the_first_in_the_config()
    {
        var p = Id("prod-db-a1");
        var views = Views(
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{p}-100", $"0-{p}-100")),
            ("prod-db-b1", Snapshot("prod-db-b1", Id("prod-db-b1"), $"0-{p}-100", $"0-{p}-103")),
            ("prod-db-c1", Snapshot("prod-db-c1", Id("prod-db-c1"), $"0-{p}-101", $"0-{p}-101")));

        var choice = CandidateChoice.ForFailover(_prod, views, _prod.Failover, null, new HashSet<uint> { p });

        Assert.Equal("prod-db-b1", choice.Chosen!.Name);
        Assert.Contains($"0-{p}-103", choice.Why);
    }

    [Fact]
    public void Dr_hosts_are_never_chosen_even_when_they_received_the_most()
    {
        var p = Id("prod-db-a1");
        var views = Views(
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{p}-90", $"0-{p}-90")),
            ("prod-db-dr1", Snapshot("prod-db-dr1", Id("prod-db-dr1"), $"0-{p}-100", $"0-{p}-100")));

        var choice = CandidateChoice.ForFailover(_prod, views, _prod.Failover, null, new HashSet<uint> { p });

        Assert.Equal("prod-db-a2", choice.Chosen!.Name);
        Assert.Contains(choice.Rejected, r => r.StartsWith("prod-db-dr1: a remote (DR) site is never promoted", StringComparison.Ordinal));
        Assert.Contains(choice.Rejected, r => r.StartsWith("prod-db-b1: not reachable", StringComparison.Ordinal));
    }

    [Fact]
    public void An_errant_replica_is_passed_over_in_a_failover_and_named()
    {
        var p = Id("prod-db-a1");
        var b1 = Id("prod-db-b1");
        var views = Views(
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{p}-100", $"0-{p}-100")),
            ("prod-db-b1", Snapshot("prod-db-b1", b1, $"0-{p}-100,0-{b1}-101", $"0-{p}-100")));

        var choice = CandidateChoice.ForFailover(_prod, views, _prod.Failover, null, new HashSet<uint> { p });

        Assert.Equal("prod-db-a2", choice.Chosen!.Name);
        Assert.Contains(choice.Rejected, r => r.Contains($"prod-db-b1: it holds transactions no primary wrote (errant GTIDs 0-{b1}-101)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_gtid_every_other_server_also_holds_is_not_errant()
    {
        var p = Id("prod-db-a1");
        var old = Id("prod-db-c1");
        var views = Views(
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{old}-50,0-{p}-100", $"0-{p}-100")),
            ("prod-db-b1", Snapshot("prod-db-b1", Id("prod-db-b1"), $"0-{old}-50,0-{p}-101", $"0-{p}-101")));

        var choice = CandidateChoice.ForFailover(_prod, views, _prod.Failover, null, new HashSet<uint> { p });

        Assert.Equal("prod-db-b1", choice.Chosen!.Name);
    }

    [Fact]
    public void Never_promote_hosts_are_skipped_and_a_named_one_is_refused()
    {
        var p = Id("prod-db-a1");
        var policy = _prod.Failover with { NeverPromote = ["prod-db-b1"] };
        var views = Views(
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{p}-99", $"0-{p}-99")),
            ("prod-db-b1", Snapshot("prod-db-b1", Id("prod-db-b1"), $"0-{p}-100", $"0-{p}-100")));

        Assert.Equal("prod-db-a2", CandidateChoice.ForFailover(_prod, views, policy, null, new HashSet<uint> { p }).Chosen!.Name);
        var named = CandidateChoice.ForFailover(_prod, views, policy, "prod-db-b1", new HashSet<uint> { p });
        Assert.Null(named.Chosen);
        Assert.Contains("neverPromote", Assert.Single(named.Rejected));
    }

    [Fact]
    public void Switchover_refuses_a_lagging_or_stopped_replica_and_one_with_errant_transactions()
    {
        var p = Id("prod-db-a1");
        var primary = Snapshot("prod-db-a1", p, $"0-{p}-200", "") with { Channel = null, ReadOnly = false };
        var views = Views(
            ("prod-db-a1", primary),
            ("prod-db-a2", Snapshot("prod-db-a2", Id("prod-db-a2"), $"0-{p}-150", $"0-{p}-200", lag: 40)),
            ("prod-db-b1", Snapshot("prod-db-b1", Id("prod-db-b1"), $"0-{p}-200", $"0-{p}-200", running: false)),
            ("prod-db-c1", Snapshot("prod-db-c1", Id("prod-db-c1"), $"0-{p}-200,0-{Id("prod-db-c1")}-3", $"0-{p}-200")));

        var choice = CandidateChoice.ForSwitchover(_prod, views, _prod.Failover, null);

        Assert.Null(choice.Chosen);
        Assert.Contains(choice.Rejected, r => r.StartsWith("prod-db-a2: it is 40 s behind", StringComparison.Ordinal));
        Assert.Contains(choice.Rejected, r => r.StartsWith("prod-db-b1: its replication is not running", StringComparison.Ordinal));
        Assert.Contains(choice.Rejected, r => r.StartsWith("prod-db-c1: it holds transactions prod-db-a1 never had", StringComparison.Ordinal));
    }
}
