using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Operations.Failover;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>The live primary comes from the highest recorded term, never from the config order.</summary>
public class LivePrimaryTests
{
    private readonly Topology _topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "local").Topology!;

    private static TermRecord Term(long n, string host) => new(n, host, 1, TermRecord.Failover, null, "", DateTimeOffset.UnixEpoch);

    private static Dictionary<string, TermRecord?> Servers(params (string Host, TermRecord? Term)[] rows) =>
        rows.ToDictionary(r => r.Host, r => r.Term, StringComparer.Ordinal);

    [Fact]
    public void Without_any_term_the_initial_primary_is_the_primary()
    {
        var decision = LivePrimary.Decide(_topology, null, Servers(("db1", null), ("db2", null)));
        Assert.Equal("db1", decision.Primary.Name);
        Assert.Null(decision.Term);
    }

    [Fact]
    public void The_highest_term_wins_over_the_store_and_stale_servers()
    {
        var decision = LivePrimary.Decide(_topology, Term(2, "db2"), Servers(("db1", Term(1, "db1")), ("db2", Term(3, "db1")), ("db3", Term(2, "db2"))));
        Assert.Equal("db1", decision.Primary.Name);
        Assert.Equal(3, decision.Term!.Term);
        Assert.Contains(decision.Notes, n => n.Contains("term store had term 2", StringComparison.Ordinal));
        Assert.Contains(decision.Notes, n => n.Contains("db1, db3 have not received term 3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_store_ahead_of_unreachable_servers_wins()
    {
        var decision = LivePrimary.Decide(_topology, Term(5, "db2"), Servers(("db3", Term(4, "db1"))));
        Assert.Equal("db2", decision.Primary.Name);
    }

    [Fact]
    public void Two_hosts_claiming_one_term_is_an_error_not_a_guess()
    {
        var error = Assert.Throws<OperationFailedException>(() => LivePrimary.Decide(_topology, Term(2, "db1"), Servers(("db2", Term(2, "db2")))));
        Assert.Contains("term 2 is claimed by", error.Problem);
    }

    [Fact]
    public void A_recorded_primary_missing_from_the_stack_is_named()
    {
        var error = Assert.Throws<OperationFailedException>(() => LivePrimary.Decide(_topology, Term(2, "db9"), Servers()));
        Assert.Contains("db9", error.Problem);
    }
}
