using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Operations.Planning;

/// <summary>One resource of a Pulumi YAML program, as the plan reads it.</summary>
/// <param name="Provider">The logical name in <c>options.provider: ${name}</c>; null for the default provider.</param>
/// <param name="IgnoreChanges"><c>options.ignoreChanges</c>, parsed as property paths under <c>properties</c>.</param>
/// <param name="Version"><c>options.version</c>: the provider plugin version a resource (or provider) pins.</param>
public sealed record ProgramResource(
    string Name,
    string Type,
    YamlMappingNode Properties,
    string? Provider,
    IReadOnlyList<PropertyPath> IgnoreChanges,
    string? Version);

/// <summary>
/// The parts of a Pulumi YAML program a plan compares: resources by logical name, variables, and each explicit
/// provider's region. Reads what our synthesizer emits (tests/golden/pulumi/*.yaml); an empty or null text is a
/// program with nothing in it (a side that has no cloud program).
/// </summary>
public sealed partial class PulumiProgram
{
    private PulumiProgram(IReadOnlyDictionary<string, ProgramResource> resources, IReadOnlyDictionary<string, YamlNode> variables)
    {
        Resources = resources;
        Variables = variables;
    }

    public IReadOnlyDictionary<string, ProgramResource> Resources { get; }

    public IReadOnlyDictionary<string, YamlNode> Variables { get; }

    /// <summary>The region an explicit provider resource pins (<c>properties.region</c>), or null.</summary>
    public string? RegionOf(string? provider) =>
        provider is not null && Resources.TryGetValue(provider, out var resource) && resource.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal)
            ? Scalar(resource.Properties, "region")
            : null;

    /// <param name="side">How errors name the program, e.g. "the base program".</param>
    public static PulumiProgram Parse(string? text, string side)
    {
        var resources = new SortedDictionary<string, ProgramResource>(StringComparer.Ordinal);
        var variables = new SortedDictionary<string, YamlNode>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new PulumiProgram(resources, variables);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidInputException($"{side} is not valid YAML: {e.Message} (line {e.Start.Line})");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidInputException($"{side} is not a Pulumi YAML program: its top level is not a mapping");
        }

        if (Child(root, "variables") is YamlMappingNode variableNodes)
        {
            foreach (var (key, value) in variableNodes.Children)
            {
                variables[KeyOf(key)] = value;
            }
        }

        if (Child(root, "resources") is YamlMappingNode resourceNodes)
        {
            foreach (var (key, value) in resourceNodes.Children)
            {
                var name = KeyOf(key);
                if (value is not YamlMappingNode body || Scalar(body, "type") is not { } type)
                {
                    throw new InvalidInputException($"{side}: resource {name} has no type");
                }

                var options = Child(body, "options") as YamlMappingNode;
                var provider = options is null ? null : ReferencedName(Scalar(options, "provider"));
                var ignore = (options is null ? null : Child(options, "ignoreChanges")) is YamlSequenceNode list
                    ? list.Children.OfType<YamlScalarNode>().Select(s => PropertyPath.Parse(s.Value ?? "")).ToList()
                    : [];
                var version = options is null ? null : Scalar(options, "version");
                resources[name] = new ProgramResource(
                    name, type, Child(body, "properties") as YamlMappingNode ?? new YamlMappingNode(), provider, ignore, version);
            }
        }

        return new PulumiProgram(resources, variables);
    }

    /// <summary>The names a value refers to: <c>${subnet_eu-west-1a.id}</c> → subnet_eu-west-1a.</summary>
    public static IEnumerable<string> References(string text) =>
        ReferencePattern().Matches(text).Select(m => m.Groups[1].Value);

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static string KeyOf(YamlNode key) => (key as YamlScalarNode)?.Value ?? "";

    // "${aws_eu-west-1}" → aws_eu-west-1; anything else (a literal, an expression) is not a plain reference.
    private static string? ReferencedName(string? value) =>
        value is not null && value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}') ? value[2..^1] : value;

    [GeneratedRegex(@"\$\{([^}.\[\s]+)")]
    private static partial Regex ReferencePattern();
}
