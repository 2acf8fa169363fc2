using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Model.Config;

/// <summary>Reads <c>stacks/Pulumi.&lt;stack&gt;.yaml</c>: its <c>config:</c> map, as Pulumi would see it.</summary>
public static class StackFileReader
{
    public static string PathFor(string stacksDirectory, string stack) =>
        Path.Combine(stacksDirectory, $"Pulumi.{stack}.yaml");

    public static RawStackConfig Read(string stacksDirectory, string stack)
    {
        var path = PathFor(stacksDirectory, stack);
        if (!File.Exists(path))
        {
            var known = Directory.Exists(stacksDirectory)
                ? Directory.GetFiles(stacksDirectory, "Pulumi.*.yaml").Select(StackName).Order(StringComparer.Ordinal).ToList()
                : [];
            return Failed(stack, path, new ConfigError("stack", stack, $"there is no stack file {path}.",
                $"use one of the stacks in {stacksDirectory} ({string.Join(", ", known)}), or create {path}."));
        }

        return Parse(stack, path, File.ReadAllText(path));
    }

    public static RawStackConfig Parse(string stack, string source, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return Failed(stack, source, new ConfigError($"{source}:{e.Start.Line}:{e.Start.Column}", null,
                $"the file is not valid YAML ({e.InnerException?.Message ?? e.Message}).", "correct the YAML syntax at that line."));
        }

        var errors = new List<ConfigError>();
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        if (root?.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) != true)
        {
            return Failed(stack, source, new ConfigError("config", null,
                "the stack file has no 'config:' map.", "add 'config:' with the hainfra:* keys (see stacks/Pulumi.local.yaml)."));
        }

        if (configNode is not YamlMappingNode config)
        {
            return Failed(stack, source, new ConfigError("config", null, "'config:' is not a map.", "write the hainfra:* keys under 'config:'."));
        }

        foreach (var (keyNode, valueNode) in config.Children)
        {
            var key = RawStackConfig.Qualify((keyNode as YamlScalarNode)?.Value ?? "");
            values[key] = YamlToJson.Convert(valueNode, key, errors);
        }

        return new RawStackConfig(stack, source, values, errors);
    }

    private static string StackName(string file)
    {
        var name = Path.GetFileName(file);
        return name["Pulumi.".Length..^".yaml".Length];
    }

    private static RawStackConfig Failed(string stack, string source, ConfigError error) =>
        new(stack, source, new Dictionary<string, JsonNode?>(), [error]);
}
