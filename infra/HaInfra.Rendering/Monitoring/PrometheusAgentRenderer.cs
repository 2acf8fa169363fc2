using HaInfra.Model;

namespace HaInfra.Rendering.Monitoring;

/// <summary>Where a cloud host's metrics go: the remote-write URL of the stack's workspace (may hold a program reference) and its region.</summary>
public sealed record HostMonitoring(string RemoteWriteUrl, string WorkspaceRegion);

/// <summary>
/// A cloud host's Prometheus agent configuration from templates/monitoring/prometheus-agent.yml.sbn: the local
/// mysqld and node exporters, scraped with the labels the alert rules select on (stack, host, site; job mysqld or
/// node), remote-written with SigV4 to the stack's Amazon Managed Service for Prometheus workspace.
/// </summary>
public static class PrometheusAgentRenderer
{
    public const string Template = "monitoring/prometheus-agent";

    /// <summary>Where the agent's configuration lives on the host (not the package's prometheus.yml, which stays the package's).</summary>
    public const string ConfigPath = "/etc/prometheus/hainfra-agent.yml";

    /// <summary>
    /// The node exporter's textfile collector directory (Debian's default, set explicitly on the host): HaInfra's
    /// agents write their hainfra_*.prom files here.
    /// </summary>
    public const string TextfileDirectory = "/var/lib/prometheus/node-exporter";

    public const int MysqldExporterPort = 9104;
    public const int NodeExporterPort = 9100;
    public const string ScrapeInterval = "15s";

    public static RenderedFile Render(TemplateRenderer renderer, Topology topology, Host host, HostMonitoring monitoring)
    {
        var entry = renderer.Catalog.Get(Template);
        var text = renderer.Render(Template, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"host {host.Name} of stack {topology.Stack}"),
            ["stack"] = topology.Stack,
            ["host"] = host.Name,
            ["site"] = host.Site,
            ["scrapeInterval"] = ScrapeInterval,
            ["mysqldExporterPort"] = MysqldExporterPort,
            ["nodeExporterPort"] = NodeExporterPort,
            ["textfileDirectory"] = TextfileDirectory,
            ["remoteWriteUrl"] = monitoring.RemoteWriteUrl,
            ["workspaceRegion"] = monitoring.WorkspaceRegion,
        });
        return new RenderedFile($"{host.Name}/prometheus-agent.yml", text, Template);
    }
}
