using HaInfra.Rendering.Monitoring;

namespace HaInfra.Rendering.Tests;

/// <summary>Reading a rendered rule file back into rules (for clouds that take structured rules): nothing lost, nothing guessed.</summary>
public class AlertRuleFileTests
{
    [Fact]
    public async Task The_prod_rule_file_reads_back_into_its_groups_and_every_alert()
    {
        var text = await AlertRulesGoldenTests.RenderAsync("prod");
        var groups = AlertRuleFile.Parse(text);
        Assert.Equal(["hainfra-prod-availability", "hainfra-prod-replication", "hainfra-prod-storage", "hainfra-prod-backups"], groups.Select(g => g.Name));
        var rules = groups.SelectMany(g => g.Rules).ToList();
        Assert.Equal(text.Split('\n').Count(l => l.TrimStart().StartsWith("- alert: ", StringComparison.Ordinal)), rules.Count);
        var down = rules.Single(r => r.Alert == "HaInfraServerDown");
        Assert.Equal("mysql_up{stack=\"prod\"} == 0 or up{stack=\"prod\", job=\"mysqld\"} == 0", down.Expr);
        Assert.Equal(TimeSpan.FromSeconds(30), down.For);
        Assert.Equal("critical", down.Labels.Single(l => l.Key == "severity").Value);
        Assert.Equal("{{ $labels.host }}: the database server does not answer its exporter", down.Annotations.Single(a => a.Key == "summary").Value);
        Assert.Null(rules.Single(r => r.Alert == "HaInfraPrimaryChanged").For);
        Assert.Equal(TimeSpan.FromHours(180), rules.Single(r => r.Alert == "HaInfraNoFullBackup").For);
    }

    [Theory]
    [InlineData("      - record: x:sum\n        expr: sum(up)\n", "recording rule")]
    [InlineData("      - alert: A\n        expr: up == 0\n        keep_firing_for: 5m\n", "keep_firing_for is not translated")]
    public void A_rule_it_cannot_carry_whole_is_refused(string rule, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AlertRuleFile.Parse($"groups:\n  - name: g\n    rules:\n{rule}"));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("7d12h", 648000)]
    [InlineData("1h30m", 5400)]
    [InlineData("1w", 604800)]
    [InlineData("500ms", 0.5)]
    public void Prometheus_durations_read_back(string text, double seconds) => Assert.Equal(seconds, PromDuration.Parse(text).TotalSeconds);

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("5 m")]
    [InlineData("PT30S")]
    public void A_text_that_is_no_prometheus_duration_is_refused(string text) => Assert.Throws<FormatException>(() => PromDuration.Parse(text));
}
