using HaInfra.Rendering.Monitoring;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>The local target's Prometheus configuration: golden, and accepted by promtool with the stack's rules.</summary>
public sealed class LocalPrometheusConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-prom-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Render(string rulesFile)
    {
        var prod = RenderFixture.Stack("prod");
        var targets = prod.Hosts.Select((h, i) => new ScrapeTarget(h.Name, h.Site, 16400 + (2 * i), 16401 + (2 * i))).ToList();
        return LocalPrometheusConfigRenderer.Render(RenderFixture.Renderer(), prod.Stack, TimeSpan.FromSeconds(2), rulesFile, targets);
    }

    [Fact]
    public void The_prod_local_prometheus_config_matches_its_golden_file()
    {
        Golden.Check("monitoring/prod/prometheus.yml", Render("/state/prod/monitoring/prod.rules.yml"));
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_config_with_the_stacks_rules()
    {
        var rules = Path.Combine(_dir, "prod.rules.yml");
        await File.WriteAllTextAsync(rules, await AlertRulesGoldenTests.RenderAsync("prod"));
        var config = Path.Combine(_dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, Render(rules));
        var (exit, output) = ServerBinaries.Run(ServerBinaries.Which("promtool")!, "check", "config", config);
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 1 rule files found", output);
    }
}
