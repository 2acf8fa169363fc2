using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Replication;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>In an active-passive pair the passive takes over whenever it may; the same-city replica only when it cannot.</summary>
public class ActivePassiveCandidateTests
{
    private readonly Topology _ap = TopologyLoader.LoadStack(RepoRoot.Stacks, "local-ap").Topology!;

    private static ServerSnapshot Snapshot(string name, uint id, string state, string ioPos) => new(
        name, ServerFlavor.MariaDb, new ServerVersion(10, 11, 19), id, true,
        GtidPosition.Parse(state).PerDomain(), GtidPosition.Parse(state), GtidPosition.Parse(state).PerDomain(), GtidPosition.Parse(state).PerDomain(),
        GtidPosition.Empty, 3,
        new ReplicaChannel("127.0.0.1", 1, "hainfra_repl", "Yes", true, 0, "Slave_Pos", true, 0, null, 0, null, GtidPosition.Parse(ioPos)),
        new SemiSyncState(false, false, 0, true, true));

    private Dictionary<string, HostView> Views(bool passiveReachable)
    {
        var a = _ap.Host("ap1").ServerId;
        var views = _ap.Hosts.ToDictionary(h => h.Name, h => new HostView(h.Name, null, null, "unreachable"), StringComparer.Ordinal);
        if (passiveReachable)
        {
            views["ap2"] = new HostView("ap2", Snapshot("ap2", _ap.Host("ap2").ServerId, $"1-{a}-100", $"1-{a}-100"), null, null);
        }

        // The same-city replica received more than the passive.
        views["ap3"] = new HostView("ap3", Snapshot("ap3", _ap.Host("ap3").ServerId, $"1-{a}-100", $"1-{a}-104"), null, null);
        views["ap4"] = new HostView("ap4", Snapshot("ap4", _ap.Host("ap4").ServerId, $"1-{a}-100", $"1-{a}-100"), null, null);
        return views;
    }

    [Fact]
    public void Failover_promotes_the_passive_even_when_a_same_city_replica_received_more()
    {
        var choice = CandidateChoice.ForFailover(_ap, Views(passiveReachable: true), _ap.Failover, null, new HashSet<uint> { _ap.Host("ap1").ServerId });
        Assert.Equal("ap2", choice.Chosen!.Name);
        Assert.Contains("passive of the active-passive pair", choice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_passive_the_best_other_host_of_the_primary_region_is_promoted()
    {
        var choice = CandidateChoice.ForFailover(_ap, Views(passiveReachable: false), _ap.Failover, null, new HashSet<uint> { _ap.Host("ap1").ServerId });
        Assert.Equal("ap3", choice.Chosen!.Name);
    }
}
