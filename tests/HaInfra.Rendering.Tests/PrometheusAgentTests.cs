using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>A cloud host's Prometheus agent configuration, and the alert thresholds synth computes on every preview.</summary>
public sealed class PrometheusAgentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-agent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PromtoolFact]
    public void Every_prod_hosts_agent_configuration_passes_promtool_check_config_in_agent_mode()
    {
        var promtool = ServerBinaries.Which("promtool");
        Assert.True(promtool is not null, "promtool is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-prereqs must install it");
        var topology = RenderFixture.Stack("prod");
        var monitoring = new HostMonitoring("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write", "eu-west-1");
        var files = topology.Hosts.Select(h =>
        {
            var file = PrometheusAgentRenderer.Render(RenderFixture.Renderer(), topology, h, monitoring);
            Assert.Contains($"host: \"{h.Name}\"", file.Text);
            Assert.Contains($"site: \"{h.Site}\"", file.Text);
            var path = Path.Combine(_dir, $"{h.Name}.yml");
            File.WriteAllText(path, file.Text);
            return path;
        }).ToArray();
        var (exit, output) = ServerBinaries.Run(promtool, ["check", "config", "--agent", .. files]);
        Assert.True(exit == 0, output);
    }

    /// <summary>
    /// Debian 12's promtool (2.42) knows no remote_write azuread setting: the azure agent sends a bearer token from a
    /// file instead, and that configuration is what this promtool must accept.
    /// </summary>
    [PromtoolFact]
    public void Every_azure_prod_hosts_agent_configuration_passes_promtool_check_config_in_agent_mode()
    {
        var promtool = ServerBinaries.Which("promtool");
        Assert.True(promtool is not null, "promtool is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-prereqs must install it");
        var topology = RenderFixture.Stack("azure-prod");
        var monitoring = new HostMonitoring(
            "https://hainfra-azure-prod-metrics-abcd.westeurope-1.metrics.ingest.monitor.azure.com/dataCollectionRules/dcr-0123/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24",
            "westeurope", RemoteWriteAuth.ManagedIdentityToken);
        var files = topology.Hosts.Select(h =>
        {
            var file = PrometheusAgentRenderer.Render(RenderFixture.Renderer(), topology, h, monitoring);
            Assert.Contains($"credentials_file: {PrometheusAgentRenderer.TokenFile}", file.Text);
            Assert.DoesNotContain("sigv4", file.Text);
            var path = Path.Combine(_dir, $"{h.Name}.yml");
            File.WriteAllText(path, file.Text);
            return path;
        }).ToArray();
        var (exit, output) = ServerBinaries.Run(promtool, ["check", "config", "--agent", .. files]);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Thresholds_from_the_cache_equal_those_computed_and_a_damaged_cache_is_recomputed()
    {
        var prod = RenderFixture.Stack("prod");
        var computed = await AlertPlan.ThresholdsAsync(prod, AlertThresholds.CloudDataMountpoint, CancellationToken.None);
        var first = await AlertPlan.ThresholdsAsync(prod, AlertThresholds.CloudDataMountpoint, CancellationToken.None, _dir);
        var file = Assert.Single(Directory.GetFiles(_dir));
        var cached = await AlertPlan.ThresholdsAsync(prod, AlertThresholds.CloudDataMountpoint, CancellationToken.None, _dir);
        Assert.Equal(computed.BackupAges.Select(b => b.MaxAge), first.BackupAges.Select(b => b.MaxAge));
        Assert.Equal(computed.BackupAges.Select(b => b.MaxAge), cached.BackupAges.Select(b => b.MaxAge));
        Assert.Equal(computed.BackupAges.Select(b => b.Why), cached.BackupAges.Select(b => b.Why));

        File.WriteAllText(file, "garbage\n");
        var again = await AlertPlan.ThresholdsAsync(prod, AlertThresholds.CloudDataMountpoint, CancellationToken.None, _dir);
        Assert.Equal(computed.BackupAges.Select(b => b.MaxAge), again.BackupAges.Select(b => b.MaxAge));

        // Other schedules, another entry: a changed schedule never reads the old gaps.
        var daily = prod with { Backup = prod.Backup with { Schedules = prod.Backup.Schedules with { Full = "*-*-* 02:00:00" } } };
        var changed = await AlertPlan.ThresholdsAsync(daily, AlertThresholds.CloudDataMountpoint, CancellationToken.None, _dir);
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
        Assert.Equal(TimeSpan.FromHours(30), changed.BackupAges.Single(b => b.Alert == "HaInfraFullBackupTooOld").MaxAge);
    }
}
