using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

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
        var path = Path.Combine(templatesDirectory, "catalog.yaml");
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var file = deserializer.Deserialize<CatalogFile>(File.ReadAllText(path));
        return new TemplateCatalog(templatesDirectory, file.Templates.Select(t => new TemplateEntry(t.Name, t.File, t.Produces)));
    }

    public TemplateEntry Get(string name) =>
        _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"template '{name}' is not in {Path.Combine(Directory, "catalog.yaml")}");

    public string Text(TemplateEntry entry) => File.ReadAllText(Path.Combine(Directory, entry.File));

    private sealed class CatalogFile
    {
        public List<CatalogItem> Templates { get; set; } = [];
    }

    private sealed class CatalogItem
    {
        public string Name { get; set; } = "";

        public string File { get; set; } = "";

        public string Produces { get; set; } = "";
    }
}
