using YamlDotNet.RepresentationModel;

namespace HaInfra.Rendering;

/// <summary>One catalogued template: its name, its file under templates/ and what it produces.</summary>
public sealed record TemplateEntry(string Name, string File, string Produces);

/// <summary>
/// templates/catalog.yaml: the list of every template. Rendering goes through the catalog, so a template
/// that is not catalogued cannot be used, and each output can name the file it came from.
/// </summary>
public sealed class TemplateCatalog
{
    private readonly Dictionary<string, TemplateEntry> _entries;

    private TemplateCatalog(string directory, IEnumerable<TemplateEntry> entries)
    {
        Directory = directory;
        _entries = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public string Directory { get; }

    public IReadOnlyCollection<TemplateEntry> Entries => _entries.Values;

    public static TemplateCatalog Load(string templatesDirectory)
    {
        // Read through the node model rather than the reflection-based deserializer: this runs on every `synth`.
        var path = Path.Combine(templatesDirectory, "catalog.yaml");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var templates = (YamlSequenceNode)root.Children[new YamlScalarNode("templates")];
        return new TemplateCatalog(templatesDirectory, templates.Children.Cast<YamlMappingNode>().Select(t =>
            new TemplateEntry(Field(t, "name"), Field(t, "file"), Field(t, "produces"))));
    }

    private static string Field(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text }
            ? text
            : throw new InvalidDataException($"templates/catalog.yaml: an entry has no '{key}'");

    public TemplateEntry Get(string name) =>
        _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"template '{name}' is not in {Path.Combine(Directory, "catalog.yaml")}");

    public string Text(TemplateEntry entry) => File.ReadAllText(Path.Combine(Directory, entry.File));
}
