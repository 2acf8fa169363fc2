using System.Globalization;

namespace HaInfra.Rendering.Endpoint;

/// <summary>One backend server of the endpoint: a host's name and the address clients reach it at.</summary>
/// <param name="GaleraNode">A node of the stack's Galera cluster: a backup writer, and a reader beside the writer.</param>
public sealed record EndpointServer(string Name, string Address, int Port, bool GaleraNode = false);

/// <summary>Where the endpoint listens and keeps its files.</summary>
public sealed record EndpointLayout(int WriterPort, int ReaderPort, string AdminSocket);

/// <summary>
/// Renders the local target's HAProxy configuration from templates/endpoint/haproxy.cfg.sbn: the writer backend with
/// only <c>writer</c> enabled, the reader backend over the others (the writer as backup).
/// </summary>
public static class HaproxyConfigRenderer
{
    public const string Template = "endpoint/haproxy";

    public static string Render(TemplateRenderer renderer, string stack, EndpointLayout layout, IReadOnlyList<EndpointServer> servers, string writer, long term)
    {
        var entry = renderer.Catalog.Get(Template);
        return renderer.Render(Template, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"the endpoint of stack {stack}"),
            ["term"] = term.ToString(CultureInfo.InvariantCulture),
            ["adminSocket"] = layout.AdminSocket,
            ["writerPort"] = layout.WriterPort.ToString(CultureInfo.InvariantCulture),
            ["readerPort"] = layout.ReaderPort.ToString(CultureInfo.InvariantCulture),
            ["galera"] = servers.Any(s => s.GaleraNode),
            ["servers"] = servers.Select(s => new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["name"] = s.Name,
                ["address"] = s.Address,
                ["port"] = s.Port.ToString(CultureInfo.InvariantCulture),
                ["writer"] = s.Name == writer,
                ["backup"] = s.GaleraNode && s.Name != writer,
                ["failback"] = s.GaleraNode && s.Name == writer,
                // Every Galera node holds every commit, so the writer node serves reads too; a primary does not.
                ["readWeight"] = s.Name == writer && !s.GaleraNode ? "0" : "1",
            }).ToList(),
        });
    }
}
