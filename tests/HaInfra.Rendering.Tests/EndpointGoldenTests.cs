using HaInfra.Rendering.Endpoint;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>The local target's HAProxy configuration: golden, and exactly one writer whatever the live primary.</summary>
public class EndpointGoldenTests
{
    private static readonly EndpointLayout Layout = new(16312, 16313, "/state/prod/endpoint/admin.sock");

    private static string Render(string writer, long term)
    {
        var prod = RenderFixture.Stack("prod");
        var servers = prod.Hosts.Select((h, i) => new EndpointServer(h.Name, "127.0.0.1", 16306 + i)).ToList();
        return HaproxyConfigRenderer.Render(RenderFixture.Renderer(), prod.Stack, Layout, servers, writer, term);
    }

    [Fact]
    public void The_prod_endpoint_matches_its_golden_file()
    {
        Golden.Check("endpoint/prod/haproxy.cfg", Render("prod-db-a1", 1));
    }

    [Fact]
    public void Only_the_live_primary_takes_writes_and_it_takes_no_reads()
    {
        var text = Render("prod-db-b1", 4);
        var writer = Section(text, "backend writer");
        Assert.Single(writer, l => !l.Contains(" disabled", StringComparison.Ordinal));
        Assert.Contains(writer, l => l.Contains("server prod-db-b1 ", StringComparison.Ordinal) && !l.Contains("disabled", StringComparison.Ordinal));
        var reader = Section(text, "backend reader");
        Assert.Contains(reader, l => l.Contains("server prod-db-b1 ", StringComparison.Ordinal) && l.EndsWith("weight 0", StringComparison.Ordinal));
        Assert.Equal(5, reader.Count(l => l.EndsWith("weight 1", StringComparison.Ordinal)));
        Assert.Contains("term 4", text);
    }

    private static List<string> Section(string text, string header) =>
        [.. text.Split('\n').SkipWhile(l => l != header).Skip(1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Where(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal))];
}
