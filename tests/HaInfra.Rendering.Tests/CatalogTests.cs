using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

public class CatalogTests
{
    [Fact]
    public void Every_template_file_is_catalogued_and_every_entry_has_its_file()
    {
        var catalog = TemplateCatalog.Load(RepoRoot.Templates);
        var files = Directory.GetFiles(RepoRoot.Templates, "*.sbn", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoRoot.Templates, f))
            .Order(StringComparer.Ordinal);
        Assert.Equal(files, catalog.Entries.Select(e => e.File).Order(StringComparer.Ordinal));
        Assert.All(catalog.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Produces)));
    }

    [Fact]
    public void A_missing_value_fails_instead_of_rendering_empty()
    {
        var renderer = RenderFixture.Renderer();
        var error = Assert.ThrowsAny<Exception>(() => renderer.Render("my.cnf/mariadb", new Dictionary<string, object> { ["host"] = "db1" }));
        Assert.Contains("generatedBy", error.Message);
    }

    [Fact]
    public void Values_are_not_html_escaped()
    {
        var topology = RenderFixture.Stack("local") with { Stack = "a&b<c>" };
        var text = MyCnf.MyCnfRenderer.Render(RenderFixture.Renderer(), topology, topology.Primary).Text;
        Assert.Contains("stack a&b<c>", text);
    }
}
