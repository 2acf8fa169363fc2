using System.Text.RegularExpressions;
using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>
/// The alert rules' behaviour: promtool test rules on synthetic series (tests/alert-rules/*.test.yml), every prod alert
/// firing with its labels and annotations and staying quiet below its threshold or inside its for: window.
/// </summary>
public sealed partial class AlertRuleUnitTests : IDisposable
{
    private const string ProdRules = "../golden/alerts/prod.rules.yml";
    private static readonly string[] ProdTestFiles = ["prod.test.yml", "prod-backups.test.yml"];

    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-alert-tests-").FullName;

    private static string TestFile(string name) => Path.Combine(RepoRoot.TestsDir, "alert-rules", name);

    private static string Promtool()
    {
        var promtool = ServerBinaries.Which("promtool");
        Assert.True(promtool is not null, "promtool is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-prereqs must install it");
        return promtool;
    }

    private static (int ExitCode, string Output) TestRules(string testFile) => ServerBinaries.Run(Promtool(), "test", "rules", testFile);

    [PromtoolFact]
    public void Prod_alerts_fire_and_stay_quiet_as_their_unit_tests_expect()
    {
        var (exit, output) = TestRules(TestFile("prod.test.yml"));
        Assert.True(exit == 0, output);
    }

    [PromtoolFact]
    public void Prod_backup_archive_and_restore_verification_alerts_fire_and_stay_quiet_as_their_unit_tests_expect()
    {
        var (exit, output) = TestRules(TestFile("prod-backups.test.yml"));
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Every_prod_alert_has_a_firing_and_a_quiet_unit_test()
    {
        var alerts = AlertName().Matches(File.ReadAllText(Path.Combine(RepoRoot.TestsDir, "golden", "alerts", "prod.rules.yml")))
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(22, alerts.Count);
        var tests = string.Concat(ProdTestFiles.Select(f => File.ReadAllText(TestFile(f))));
        var firing = FiringCase().Matches(tests).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var quiet = QuietCase().Matches(tests).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var neverFiring = alerts.Where(a => !firing.Contains(a)).ToList();
        var neverQuiet = alerts.Where(a => !quiet.Contains(a)).ToList();
        Assert.True(neverFiring.Count == 0, "no case where these fire: " + string.Join(", ", neverFiring));
        Assert.True(neverQuiet.Count == 0, "no case where these stay quiet: " + string.Join(", ", neverQuiet));
    }

    [PromtoolFact]
    public async Task Lag_and_archive_alerts_follow_the_rpo_a_stack_renders_them_with()
    {
        var prod = RenderFixture.Stack("prod");
        var tighter = prod with { Backup = prod.Backup with { Objectives = prod.Backup.Objectives with { RpoSeconds = 20 } } };
        var thresholds = await AlertPlan.ThresholdsAsync(tighter, AlertThresholds.CloudDataMountpoint, CancellationToken.None);
        File.Copy(TestFile("rpo20.test.yml"), Path.Combine(_dir, "rpo20.test.yml"));
        var rules = Path.Combine(_dir, "prod-rpo20.rules.yml");
        await File.WriteAllTextAsync(rules, AlertRulesRenderer.Render(RenderFixture.Renderer(), tighter, thresholds));

        var (exit, output) = TestRules(Path.Combine(_dir, "rpo20.test.yml"));
        Assert.True(exit == 0, output);

        // The same expectations fail against prod's own rules (RPO 60 s): the test file tells the two RPOs apart.
        File.Copy(Path.Combine(RepoRoot.TestsDir, "golden", "alerts", "prod.rules.yml"), rules, overwrite: true);
        var (prodExit, prodOutput) = TestRules(Path.Combine(_dir, "rpo20.test.yml"));
        Assert.True(prodExit != 0, "rpo20.test.yml passed against prod's 60 s rules:\n" + prodOutput);
        Assert.Contains("HaInfraReplicationLagHigh", prodOutput, StringComparison.Ordinal);
        Assert.Contains("HaInfraBinlogArchiveBehind", prodOutput, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public void The_unit_tests_fail_when_a_threshold_moves()
    {
        // The lag warning raised from 30 s to 45 s: prod-db-b1, 31 s behind, must no longer fire, and promtool says so.
        var rules = File.ReadAllText(Path.Combine(RepoRoot.TestsDir, "golden", "alerts", "prod.rules.yml"));
        const string Warning = "mysql_slave_status_seconds_behind_master{stack=\"prod\"} > 30\n";
        Assert.Contains(Warning, rules, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "prod.rules.yml"), rules.Replace(Warning, Warning.Replace("> 30", "> 45", StringComparison.Ordinal), StringComparison.Ordinal));
        var test = File.ReadAllText(TestFile("prod.test.yml"));
        Assert.Contains(ProdRules, test, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "prod.test.yml"), test.Replace(ProdRules, "prod.rules.yml", StringComparison.Ordinal));

        var (exit, output) = TestRules(Path.Combine(_dir, "prod.test.yml"));
        Assert.True(exit != 0, "prod.test.yml passed with the lag warning at 45 s:\n" + output);
        Assert.Contains("alertname: HaInfraReplicationLagHigh", output, StringComparison.Ordinal);
        Assert.Contains("prod-db-b1 is 31 s behind", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^      - alert: (\w+)$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    [GeneratedRegex(@"alertname: (\w+)\n\s+exp_alerts:\n\s+- exp_labels:", RegexOptions.None)]
    private static partial Regex FiringCase();

    [GeneratedRegex(@"alertname: (\w+)\n\s+exp_alerts: \[\]", RegexOptions.None)]
    private static partial Regex QuietCase();
}
