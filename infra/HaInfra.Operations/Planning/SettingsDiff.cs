using System.Globalization;
using System.Text.Json.Nodes;

namespace HaInfra.Operations.Planning;

/// <summary>One stack setting that differs, by its config path (e.g. <c>hainfra:backup.retention.fullDays</c>).</summary>
public sealed record SettingChange(string Path, string? Old, string? New);

/// <summary>
/// Compares two stacks' config maps setting by setting, in the spelling the user edits (the stack file's paths), so
/// the plan can say "hainfra:network.applicationCidrs[1] added" rather than a model field name. Lists of named items
/// (sites, hosts) are keyed by name, so inserting a site does not show every later site as changed. Secret values
/// (Pulumi's <c>secure:</c>) are never shown, only that they changed.
/// </summary>
public static class SettingsDiff
{
    public const string SecretShown = "(secret)";

    public static IReadOnlyList<SettingChange> Compare(IReadOnlyDictionary<string, JsonNode?>? baseConfig, IReadOnlyDictionary<string, JsonNode?> headConfig)
    {
        var before = Flatten(baseConfig ?? new Dictionary<string, JsonNode?>());
        var after = Flatten(headConfig);
        var itemsBefore = NamedItems(baseConfig ?? new Dictionary<string, JsonNode?>());
        var itemsAfter = NamedItems(headConfig);

        // A site or host added or removed as a whole is one change (its settings in one line), not one per setting.
        var whole = itemsBefore.Keys.Except(itemsAfter.Keys).Concat(itemsAfter.Keys.Except(itemsBefore.Keys))
            .Where(path => !itemsBefore.Keys.Concat(itemsAfter.Keys).Any(outer => outer != path && path.StartsWith(outer + ".", StringComparison.Ordinal)
                && itemsBefore.ContainsKey(outer) != itemsAfter.ContainsKey(outer)))
            .ToList();
        var changes = whole.Select(path => new SettingChange(path, itemsBefore.GetValueOrDefault(path), itemsAfter.GetValueOrDefault(path))).ToList();
        changes.AddRange(before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Where(path => !whole.Any(w => path.StartsWith(w + ".", StringComparison.Ordinal)))
            .Select(path => new SettingChange(path, before.GetValueOrDefault(path), after.GetValueOrDefault(path)))
            .Where(c => c.Old != c.New));
        return [.. changes.OrderBy(c => c.Path, StringComparer.Ordinal)];
    }

    /// <summary>Every named item (a site, a host) under its path, with its settings in one compact line.</summary>
    private static Dictionary<string, string> NamedItems(IReadOnlyDictionary<string, JsonNode?> config)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(string path, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when !o.ContainsKey("secure"):
                    foreach (var (key, value) in o)
                    {
                        Walk($"{path}.{key}", value);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        var itemPath = $"{path}{ItemKey(a[i], i)}";
                        if (a[i] is JsonObject item && item["name"] is JsonValue)
                        {
                            items[itemPath] = string.Join(", ", Flatten(new Dictionary<string, JsonNode?> { ["x"] = item })
                                .Where(e => e.Key != "x.name" && !e.Key.Contains('[', StringComparison.Ordinal))
                                .Select(e => $"{e.Key[2..]}: {e.Value}"));
                        }

                        Walk(itemPath, a[i]);
                    }

                    break;
            }
        }

        foreach (var (key, value) in config)
        {
            Walk(key, value);
        }

        return items;
    }

    /// <summary>Every scalar of the config map under its path.</summary>
    public static SortedDictionary<string, string> Flatten(IReadOnlyDictionary<string, JsonNode?> config)
    {
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            Add(flat, key, value);
        }

        return flat;
    }

    private static void Add(SortedDictionary<string, string> flat, string path, JsonNode? node)
    {
        switch (node)
        {
            case null:
                flat[path] = "null";
                break;
            case JsonObject o when o.ContainsKey("secure"):
                flat[path] = SecretShown + " " + Fingerprint(o["secure"]?.ToJsonString() ?? "");
                break;
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Add(flat, $"{path}.{key}", value);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Add(flat, $"{path}{ItemKey(a[i], i)}", a[i]);
                }

                if (a.Count == 0)
                {
                    flat[path] = "[]";
                }

                break;
            default:
                flat[path] = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                break;
        }
    }

    /// <summary>Named items (sites, hosts) are keyed by name; scalars by their value, so adding one to a list reads
    /// as one addition; anything else by position.</summary>
    private static string ItemKey(JsonNode? item, int index) => item switch
    {
        JsonObject o when o["name"] is JsonValue name => $"[{name}]",
        JsonValue v => $"[{(v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())}]",
        _ => $"[{index.ToString(CultureInfo.InvariantCulture)}]",
    };

    /// <summary>Enough of a hash to tell that an encrypted value changed, not enough to learn anything from it.</summary>
    private static string Fingerprint(string cipher) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cipher)))[..8];
}
