using System.Globalization;

namespace HaInfra.Rendering.Monitoring;

/// <summary>One host's exporters on loopback, as the local Prometheus scrapes them.</summary>
public sealed record ScrapeTarget(string Host, string Site, int MysqldPort, int NodePort);

/// <summary>Renders the local target's Prometheus configuration from templates/monitoring/local-prometheus.yml.sbn.</summary>
public static class LocalPrometheusConfigRenderer
{
    public const string Template = "monitoring/local-prometheus";

    public static string Render(TemplateRenderer renderer, string stack, TimeSpan interval, string rulesFile, IReadOnlyList<ScrapeTarget> targets)
    {
        var entry = renderer.Catalog.Get(Template);
        return renderer.Render(Template, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"the local target of stack {stack}"),
            ["stack"] = stack,
            ["interval"] = PromDuration.Format(interval),
            ["rulesFile"] = rulesFile,
            ["targets"] = targets.Select(t => new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["host"] = t.Host,
                ["site"] = t.Site,
                ["mysqldPort"] = t.MysqldPort.ToString(CultureInfo.InvariantCulture),
                ["nodePort"] = t.NodePort.ToString(CultureInfo.InvariantCulture),
            }).ToList(),
        });
    }
}
