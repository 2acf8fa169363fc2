using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Status;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>The pure detection of writes that reached the active through the passive of an active-passive pair.</summary>
public class PassiveWritesTests
{
    private readonly Topology _ap = TopologyLoader.LoadStack(RepoRoot.Stacks, "local-ap").Topology!;

    private uint Id(string host) => _ap.Host(host).ServerId;

    private TermRecord Term(long term, string primary, string fork) =>
        new(term, primary, Id(primary), TermRecord.Switchover, null, fork, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Nothing_is_reported_while_only_the_active_writes()
    {
        var state = GtidPosition.Parse($"1-{Id("ap1")}-500");
        Assert.Null(PassiveWrites.Find(_ap, state, Term(1, "ap1", $"1-{Id("ap1")}-3")));
    }

    [Fact]
    public void The_passives_own_transactions_since_the_term_began_are_counted_with_the_newest_gtid()
    {
        var state = GtidPosition.Parse($"1-{Id("ap1")}-500,2-{Id("ap2")}-7");
        var found = PassiveWrites.Find(_ap, state, Term(1, "ap1", $"1-{Id("ap1")}-3"));

        Assert.NotNull(found);
        Assert.Equal(("ap2", "ap1", 7L), (found.Passive, found.Active, found.Count));
        Assert.Equal(new Gtid(2, Id("ap2"), 7), found.Last);
        Assert.Contains("writes arrived through the passive ap2", found.Describe, StringComparison.Ordinal);
        Assert.Contains("writer endpoint", found.Reconcile, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_passive_wrote_while_it_was_the_active_is_not_a_mistake()
    {
        // ap2 was the active up to 2-ap2-900; term 3 made ap1 the active again with that state recorded.
        var fork = $"1-{Id("ap1")}-500,2-{Id("ap2")}-900";
        Assert.Null(PassiveWrites.Find(_ap, GtidPosition.Parse($"1-{Id("ap1")}-650,2-{Id("ap2")}-900"), Term(3, "ap1", fork)));
        var found = PassiveWrites.Find(_ap, GtidPosition.Parse($"1-{Id("ap1")}-650,2-{Id("ap2")}-902"), Term(3, "ap1", fork));
        Assert.Equal(2, found!.Count);
    }

    [Fact]
    public void After_a_switchover_the_old_active_is_the_passive_and_its_writes_are_the_misplaced_ones()
    {
        var live = _ap.WithPrimary("ap2");
        var fork = $"1-{Id("ap1")}-500";
        var found = PassiveWrites.Find(live, GtidPosition.Parse($"1-{Id("ap1")}-501,2-{Id("ap2")}-40"), Term(2, "ap2", fork));
        Assert.Equal(("ap1", "ap2", 1L), (found!.Passive, found.Active, found.Count));
    }

    [Fact]
    public void A_primary_outside_the_pair_or_another_method_reports_nothing()
    {
        var state = GtidPosition.Parse($"1-{Id("ap1")}-500,2-{Id("ap2")}-7");
        Assert.Null(PassiveWrites.Find(_ap.WithPrimary("ap3"), state, null));
        var local = TopologyLoader.LoadStack(RepoRoot.Stacks, "local").Topology!;
        Assert.Null(PassiveWrites.Find(local, GtidPosition.Parse("0-1-5,0-2-9"), null));
    }
}
