using System.Text.Json;
using System.Text.Json.Nodes;

namespace HaInfra.Model.Config;

/// <summary>
/// Reads the configuration Pulumi passes to a YAML compiler: PULUMI_STACK plus PULUMI_CONFIG, a JSON object
/// of "namespace:key" to string, where structured values arrive JSON-encoded and secrets arrive decrypted.
/// </summary>
public static class PulumiEnvironmentReader
{
    public static RawStackConfig? TryRead(IReadOnlyDictionary<string, string?> environment)
    {
        if (!environment.TryGetValue("PULUMI_STACK", out var stack) || string.IsNullOrEmpty(stack))
        {
            return null;
        }

        var source = $"PULUMI_CONFIG of stack '{stack}'";
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var errors = new List<ConfigError>();
        environment.TryGetValue("PULUMI_CONFIG", out var json);
        JsonObject? config;
        try
        {
            config = JsonNode.Parse(string.IsNullOrEmpty(json) ? "{}" : json) as JsonObject;
        }
        catch (JsonException)
        {
            config = null;
        }

        if (config is null)
        {
            errors.Add(new ConfigError("PULUMI_CONFIG", null, "is not a JSON object.", "run the program through the Pulumi CLI, or unset PULUMI_STACK to read stacks/."));
            return new RawStackConfig(stack, source, values, errors);
        }

        foreach (var (key, value) in config)
        {
            values[RawStackConfig.Qualify(key)] = Decode(value);
        }

        return new RawStackConfig(stack, source, values, errors);
    }

    private static JsonNode? Decode(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            {
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    return value.DeepClone();
                }
            }
        }

        return value?.DeepClone();
    }
}
