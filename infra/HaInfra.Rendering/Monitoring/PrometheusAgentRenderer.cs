using HaInfra.Model;

namespace HaInfra.Rendering.Monitoring;

/// <summary>
/// Where a cloud host's metrics go: the remote-write URL of the stack's workspace (may hold program references), its
/// region, and how the agent proves who it is.
/// </summary>
public sealed record HostMonitoring(string RemoteWriteUrl, string WorkspaceRegion, RemoteWriteAuth Auth = RemoteWriteAuth.SigV4);

/// <summary>How a host's agent authenticates its remote writes.</summary>
public enum RemoteWriteAuth
{
    /// <summary>aws: SigV4 with the instance role, to Amazon Managed Service for Prometheus.</summary>
    SigV4,

    /// <summary>
    /// azure: a bearer token of the VM's managed identity for Azure Monitor, kept fresh in
    /// <see cref="PrometheusAgentRenderer.TokenFile"/> by the host (Debian 12's Prometheus has no azuread setting).
    /// </summary>
    ManagedIdentityToken,
}

/// <summary>
/// A cloud host's Prometheus agent configuration from templates/monitoring/prometheus-agent.yml.sbn: the local
/// mysqld and node exporters, scraped with the labels the alert rules select on (stack, host, site; job mysqld or
/// node), remote-written to the stack's workspace: with SigV4 to Amazon Managed Service for Prometheus (aws), with
/// the VM's managed identity to the data collection rule of an Azure Monitor workspace (azure).
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

    /// <summary>Where an azure host keeps its managed identity's Azure Monitor token (tmpfs; readable by root and prometheus).</summary>
    public const string TokenFile = "/run/hainfra/monitor-token";

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
            ["workspaceKind"] = monitoring.Auth == RemoteWriteAuth.SigV4 ? "Amazon Managed Service for Prometheus workspace" : "Azure Monitor workspace",
            ["entraToken"] = monitoring.Auth == RemoteWriteAuth.ManagedIdentityToken,
            ["tokenFile"] = TokenFile,
        });
        return new RenderedFile($"{host.Name}/prometheus-agent.yml", text, Template);
    }
}
