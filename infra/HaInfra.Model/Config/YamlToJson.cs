using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Model.Config;

/// <summary>Turns a YAML node into the JSON shape PULUMI_CONFIG uses, so both sources share one reader.</summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(YamlNode node, string path, List<ConfigError> errors) => node switch
    {
        YamlScalarNode scalar => IsNull(scalar) ? null : JsonValue.Create(scalar.Value),
        YamlSequenceNode sequence => new JsonArray(sequence.Children
            .Select((child, i) => Convert(child, $"{path}[{i}]", errors)).ToArray()),
        YamlMappingNode mapping => ConvertMapping(mapping, path, errors),
        _ => null,
    };

    // YamlDotNet already rejects duplicate keys as a syntax error.
    private static JsonObject ConvertMapping(YamlMappingNode mapping, string path, List<ConfigError> errors)
    {
        var result = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            result[key] = Convert(valueNode, $"{path}.{key}", errors);
        }

        return result;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
