using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>Every example stack's alert rules: golden, accepted by Prometheus' own rule checker, and derived from the stack.</summary>
public class AlertRulesGoldenTests
{
    private static readonly string[] StackNames = ["dev", "staging", "prod", "local"];

    public static TheoryData<string> Stacks => [.. StackNames];

    internal static Task<string> RenderAsync(string stack) =>
        AlertPlan.RenderAsync(RenderFixture.Renderer(), RenderFixture.Stack(stack), AlertThresholds.CloudDataMountpoint, CancellationToken.None);

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Every_example_stack_matches_its_golden_rules(string stack)
    {
        Golden.Check($"alerts/{stack}.rules.yml", await RenderAsync(stack));
    }

    [PromtoolFact]
    public void Every_golden_rule_file_passes_promtool_check_rules()
    {
        var promtool = ServerBinaries.Which("promtool");
        Assert.True(promtool is not null, "promtool is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-prereqs must install it");
        var files = StackNames.Select(s => Path.Combine(RepoRoot.TestsDir, "golden", "alerts", $"{s}.rules.yml")).ToArray();
        var (exit, output) = ServerBinaries.Run(promtool, ["check", "rules", .. files]);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Lag_thresholds_follow_the_stacks_rpo_and_backup_ages_its_schedule()
    {
        var prod = RenderFixture.Stack("prod");
        var tighter = prod with { Backup = prod.Backup with { Objectives = prod.Backup.Objectives with { RpoSeconds = 20 } } };
        var thresholds = await AlertPlan.ThresholdsAsync(tighter, "/data", CancellationToken.None);
        var text = AlertRulesRenderer.Render(RenderFixture.Renderer(), tighter, thresholds);
        Assert.Contains("mysql_slave_status_seconds_behind_master{stack=\"prod\"} > 10\n", text);
        Assert.Contains("mysql_slave_status_seconds_behind_master{stack=\"prod\"} > 20\n", text);
        Assert.Contains("max(hainfra_binlog_archive_covered_timestamp_seconds{stack=\"prod\"}) > 20 ", text);
        // Weekly fulls on Sunday with daily incrementals on the other days: a restore point at most a day (plus 6 h) old.
        Assert.Equal(TimeSpan.FromDays(7.5), thresholds.BackupAges.Single(b => b.Alert == "HaInfraFullBackupTooOld").MaxAge);
        Assert.Equal(TimeSpan.FromHours(30), thresholds.BackupAges.Single(b => b.Alert == "HaInfraRestorePointTooOld").MaxAge);
        Assert.Contains("mountpoint=\"/data\"", text);
    }

    [Fact]
    public void A_stack_without_semi_sync_or_backups_gets_no_alert_it_cannot_feed()
    {
        var dev = RenderFixture.Stack("dev");
        var asyncOnly = dev with { Sites = [.. dev.Sites.Select(s => s with { Mode = Model.ReplicationMode.Async })] };
        var text = AlertRulesRenderer.Render(RenderFixture.Renderer(), asyncOnly, new AlertThresholds([], AlertThresholds.DefaultVerifyMaxAge, "/"));
        Assert.DoesNotContain("HaInfraSemiSync", text);
        Assert.DoesNotContain("hainfra_backup_", text);
        Assert.Contains("HaInfraReplicaSqlThreadStopped", text);
    }
}
