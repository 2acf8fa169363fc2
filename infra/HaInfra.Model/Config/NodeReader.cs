using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HaInfra.Model.Config;

/// <summary>
/// Typed reads from untyped config nodes that record an error and go on, so that one pass reports every
/// problem. Paths it could not read are remembered so validation does not report them a second time.
/// </summary>
internal sealed class NodeReader
{
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);

    public NodeReader(List<ConfigError> errors) => _errors = errors;

    public IReadOnlySet<string> Unreadable => _unreadable;

    public JsonObject? Map(JsonNode? node, string path, params string[] allowedKeys)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject map)
        {
            return Fail<JsonObject>(path, node, "expected a map of keys.", $"write it as a map with keys {string.Join(", ", allowedKeys)}.");
        }

        foreach (var (key, value) in map)
        {
            if (!allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                _errors.Add(new ConfigError($"{path}.{key}", null, "is not a known key here.", UnknownKeyFix(key, allowedKeys)));
            }
        }

        return map;
    }

    public List<JsonNode?>? List(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonArray array
            ? [.. array]
            : Fail<List<JsonNode?>>(path, node, "expected a list.", "write it as a YAML list ('- item' per line).");
    }

    public string? Text(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            if (value.TryGetValue<string>(out var text))
            {
                return text;
            }

            if (value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                return value.ToJsonString();
            }
        }

        return Fail<string>(path, node, "expected a single value.", "write a plain value, not a list or a map.");
    }

    public int? Integer(JsonNode? node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : Fail<int?>(path, node, "expected a whole number.", "write digits only, e.g. 100.");
    }

    public long? Long(JsonNode? node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : Fail<long?>(path, node, "expected a whole number.", "write digits only, e.g. 100.");
    }

    public bool? Flag(JsonNode? node, string path)
    {
        var text = Text(node, path);
        return text switch
        {
            null => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => Fail<bool?>(path, node, "expected true or false.", "write true or false."),
        };
    }

    public List<string>? TextList(JsonNode? node, string path)
    {
        var items = List(node, path);
        return items?.Select((item, i) => Text(item, $"{path}[{i}]") ?? "").ToList();
    }

    /// <summary>A map whose keys are data (e.g. region names), each to a single value; order as written.</summary>
    public List<KeyValuePair<string, string>>? TextMap(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject map)
        {
            return Fail<List<KeyValuePair<string, string>>>(path, node, "expected a map.", "write one 'key: value' per line.");
        }

        return [.. map.Select(e => KeyValuePair.Create(e.Key, Text(e.Value, $"{path}.{e.Key}") ?? ""))];
    }

    private T? Fail<T>(string path, JsonNode? node, string problem, string fix)
    {
        _unreadable.Add(path);
        var shown = node is JsonValue ? node.ToString() : null;
        _errors.Add(new ConfigError(path, shown, problem, fix));
        return default;
    }

    private static string UnknownKeyFix(string key, string[] allowedKeys)
    {
        var closest = allowedKeys.MinBy(k => EditDistance.Between(k.ToLowerInvariant(), key.ToLowerInvariant()));
        return closest is not null && EditDistance.Between(closest.ToLowerInvariant(), key.ToLowerInvariant()) <= 3
            ? $"did you mean '{closest}'? Known keys: {string.Join(", ", allowedKeys)}."
            : $"remove it; known keys: {string.Join(", ", allowedKeys)}.";
    }
}
