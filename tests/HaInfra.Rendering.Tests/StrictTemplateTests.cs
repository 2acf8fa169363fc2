namespace HaInfra.Rendering.Tests;

/// <summary>Templates are strict: a variable the view does not have fails the render, naming the template and the line.</summary>
public sealed class StrictTemplateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-templates-").FullName;

    private TemplateRenderer Renderer(string text)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "t"));
        File.WriteAllText(Path.Combine(_dir, "t", "x.conf.sbn"), text);
        File.WriteAllText(Path.Combine(_dir, "catalog.yaml"), "templates:\n  - name: t/x\n    file: t/x.conf.sbn\n    produces: a test file\n");
        return new TemplateRenderer(TemplateCatalog.Load(_dir));
    }

    [Fact]
    public void A_misspelled_variable_fails_with_the_template_and_its_line()
    {
        var renderer = Renderer("# header\nhost = {{host}}\nport = {{prot}}\n");

        var error = Assert.Throws<InvalidOperationException>(() => renderer.Render("t/x", new Dictionary<string, object> { ["host"] = "db1", ["port"] = "3306" }));

        Assert.Contains("templates/t/x.conf.sbn", error.Message);
        Assert.Contains("(3,", error.Message);
        Assert.Contains("prot", error.Message);
    }

    [Fact]
    public void Nothing_is_escaped_and_a_block_line_leaves_no_blank_line()
    {
        var renderer = Renderer("a = {{value}}\n{{~ if on ~}}\nb = 1\n{{~ end ~}}\nc = 2\n");
        Assert.Equal("a = <x & 'y'>\nb = 1\nc = 2\n", renderer.Render("t/x", new Dictionary<string, object> { ["value"] = "<x & 'y'>", ["on"] = true }));
        Assert.Equal("a = 1\nc = 2\n", renderer.Render("t/x", new Dictionary<string, object> { ["value"] = "1", ["on"] = false }));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
