using HaInfra.Model.Config;
using HaInfra.Tests.Shared;

namespace HaInfra.Model.Tests;

/// <summary>Which hosts form an active-passive pair, their slots (GTID domain, auto-increment offset) and partners.</summary>
public class ActivePassivePairTests
{
    private static Topology Stack(string name) => TopologyLoader.LoadStack(RepoRoot.Stacks, name).Topology!;

    [Fact]
    public void The_primary_sites_two_hosts_are_the_pair_active_first()
    {
        var ap = Stack("local-ap");
        Assert.Equal(["ap1", "ap2"], ActivePassivePair.Members(ap));
        Assert.Equal(1, ActivePassivePair.Slot(ap, "ap1"));
        Assert.Equal(2, ActivePassivePair.Slot(ap, "ap2"));
        Assert.Null(ActivePassivePair.Slot(ap, "ap3"));
        Assert.Null(ActivePassivePair.Slot(ap, "ap4"));
        Assert.Equal("ap2", ActivePassivePair.PartnerOf(ap, "ap1")!.Name);
        Assert.Equal("ap1", ActivePassivePair.PartnerOf(ap, "ap2")!.Name);
        Assert.Null(ActivePassivePair.PartnerOf(ap, "ap3"));
        Assert.Equal(1u, ActivePassivePair.DomainId(1));
    }

    [Fact]
    public void The_pair_does_not_change_with_the_live_primary_not_even_after_a_dr_promotion()
    {
        var ap = Stack("local-ap");
        Assert.Equal("ap1", ActivePassivePair.PartnerOf(ap.WithPrimary("ap2"), "ap2")!.Name);
        var drHome = ap.WithPrimary("ap4");
        Assert.Equal(["ap1", "ap2"], ActivePassivePair.Members(drHome));
        Assert.Null(ActivePassivePair.PartnerOf(drHome, "ap4"));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("prod")]
    public void Primary_replica_stacks_have_no_pair(string stack)
    {
        var topology = Stack(stack);
        Assert.Empty(ActivePassivePair.Members(topology));
        Assert.All(topology.Hosts, h => Assert.Null(ActivePassivePair.Slot(topology, h.Name)));
    }
}
