using HaInfra.Rendering.Explain;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>`explain methods`: the comparison quotes the stack's failover settings and a recorded bench run, nothing else.</summary>
public class MethodComparisonTests
{
    private const string Recorded =
        "# bench/methods at 0000000 on 2026-12-07, 2 cores, 8 sysbench threads, 55 s per method in 3 rounds\n" +
        "RESULT async_tps=1300.5 semisync_tps=1200.25 active_passive_tps=950 galera_tps=700 async_failover_s=1.36 semisync_failover_s=1.35 " +
        "active_passive_failover_s=1.31 galera_failover_s=6.35 async_lag_p99_s=1 semisync_lag_p99_s=0 semisync_ratio=0.923 active_passive_ratio=0.73 " +
        "galera_ratio=0.538 active_passive_lag_p99_s=0 galera_lag_p99_s=0 async_p99_ms=18.95 semisync_p99_ms=18.28 active_passive_p99_ms=22.28 " +
        "galera_p99_ms=28.16 async_rejoin_s=1.64 semisync_rejoin_s=1.03 active_passive_rejoin_s=1.05 galera_rejoin_s=4.19\n";

    private static MethodFigures Figures(string text)
    {
        var figures = MethodFigures.Parse(text, "methods.result", out var problem);
        Assert.Null(problem);
        return figures!;
    }

    [Fact]
    public void The_local_stacks_comparison_matches_its_golden_text_and_table()
    {
        var local = RenderFixture.Stack("local");
        var rows = MethodComparison.Build(local.Failover, local.Replication.SemiSyncTimeoutMs, Figures(Recorded));

        Golden.Check("explain/methods.txt", MethodComparison.RenderText(rows, "heading"));
        Golden.Check("explain/methods.md", MethodComparison.RenderMarkdown(rows, "heading"));
    }

    [Fact]
    public void Every_figure_is_quoted_from_the_record_and_a_missing_one_says_not_measured()
    {
        var local = RenderFixture.Stack("local");
        var rows = MethodComparison.Build(local.Failover, local.Replication.SemiSyncTimeoutMs, Figures(Recorded));
        var text = MethodComparison.RenderText(rows, "");
        Assert.Contains("1301 tps", text);
        Assert.Contains("0.92× async", text);
        Assert.Contains("measured 6.35 s", text);
        Assert.Contains($"{local.Replication.SemiSyncTimeoutMs} ms", text);
        Assert.DoesNotContain("not measured", text);

        var none = MethodComparison.RenderText(MethodComparison.Build(local.Failover, 2000, null), "");
        Assert.DoesNotContain("1300", none);
        Assert.Equal(23, none.Split("not measured").Length - 1);
    }

    [Fact]
    public void The_stacks_failover_settings_are_quoted()
    {
        var local = RenderFixture.Stack("local");
        var manual = local.Failover with { Auto = false, FailureCount = 7 };

        var text = MethodComparison.RenderText(MethodComparison.Build(manual, 2000, null), "");

        Assert.Contains("an operator runs `local failover`", text);
        Assert.Contains("dead after 7 failed probes", text);
    }

    [Theory]
    [InlineData("no result here\n", "has no 'RESULT")]
    [InlineData("RESULT async_tps=fast galera_tps=1\n", "not name=number: async_tps=fast")]
    public void A_record_that_is_not_a_bench_result_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(MethodFigures.Parse(text, "methods.result", out var problem));
        Assert.Contains(reason, problem);
    }
}
