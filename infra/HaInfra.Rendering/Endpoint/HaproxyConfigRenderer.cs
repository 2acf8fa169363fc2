using System.Globalization;

namespace HaInfra.Rendering.Endpoint;

/// <summary>One backend server of the endpoint: a host's name and the address clients reach it at.</summary>
public sealed record EndpointServer(string Name, string Address, int Port);

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
            ["servers"] = servers.Select(s => new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["name"] = s.Name,
                ["address"] = s.Address,
                ["port"] = s.Port.ToString(CultureInfo.InvariantCulture),
                ["writer"] = s.Name == writer,
            }).ToList(),
        });
    }
}
