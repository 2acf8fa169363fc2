namespace HaInfra.Synthesis.Document;

/// <summary>
/// What a cloud synthesizer builds: resources, variables (e.g. invoke results), secret config it references, and
/// outputs, each in the order added. The one seam between clouds and the program text: graph -> document.
/// </summary>
public sealed class ResourceGraph
{
    private readonly List<Resource> _resources = [];
    private readonly List<(string Name, PValue Value)> _variables = [];
    private readonly List<(string Name, PValue Value)> _config = [];
    private readonly List<(string Name, PValue Value)> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public IReadOnlyList<Resource> Resources => _resources;

    public Resource Add(string name, string type, PMap properties, PMap? options = null)
    {
        Claim(name);
        var resource = new Resource(name, type, properties, options ?? PMap.Empty);
        _resources.Add(resource);
        return resource;
    }

    public PRef Variable(string name, PValue value)
    {
        Claim(name);
        _variables.Add((name, value));
        return new PRef(name);
    }

    /// <summary>Declares a secret stack config value: the program refers to it and never holds its text.</summary>
    public PRef SecretConfig(string name)
    {
        Claim(name);
        _config.Add((name, P.Map(("type", "string"), ("secret", true))));
        return new PRef(name);
    }

    public void Output(string name, PValue value) => _outputs.Add((name, value));

    public PulumiDocument ToDocument(string name, string description) =>
        new(name, description, P.Map(_config), P.Map(_variables), _resources, P.Map(_outputs));

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"the program already has a resource, variable or config value named '{name}'");
        }
    }
}
