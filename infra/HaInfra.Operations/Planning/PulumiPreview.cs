using System.Text.Json;
using System.Text.Json.Nodes;

namespace HaInfra.Operations.Planning;

/// <summary>One step of a recorded <c>pulumi preview --json</c>.</summary>
/// <param name="Op">Pulumi's step op: same, create, update, delete, replace, create-replacement, delete-replaced, …</param>
/// <param name="Name">The resource's logical name: the URN's last <c>::</c> part.</param>
/// <param name="Type">The type token in the program's short form (<c>aws:ebs/volume:Volume</c> → <c>aws:ebs:Volume</c>).</param>
/// <param name="DetailedDiff">Property path → diff kind (add, add-replace, delete, delete-replace, update, update-replace).</param>
public sealed record PreviewStep(
    string Op,
    string Urn,
    string Name,
    string Type,
    IReadOnlyList<string> ReplaceReasons,
    IReadOnlyList<string> DiffReasons,
    IReadOnlyDictionary<string, string> DetailedDiff,
    JsonObject? OldInputs,
    JsonObject? NewInputs);

/// <summary>
/// Reads the JSON <c>pulumi preview --json</c> prints (the engine's preview digest: <c>{steps: [{op, urn, provider,
/// oldState, newState, diffReasons, replaceReasons, detailedDiff}], changeSummary, duration, …}</c>, sdk/go/common/display/json.go)
/// and merges its steps into the offline resource changes, so both say the same thing about the same resource.
/// </summary>
public static class PulumiPreview
{
    public const string Source = "pulumi";

    /// <summary>The Source of a change both the offline analysis and the preview report.</summary>
    public const string BothSources = "offline+pulumi";

    private static readonly HashSet<string> KnownOps = new(StringComparer.Ordinal)
    {
        "same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement",
        "refresh", "discard", "discard-replaced", "remove-pending-replace", "import", "import-replacement",
    };

    /// <summary>Parses a preview digest; bad JSON or a wrong shape is bad input naming <paramref name="file"/> and the problem.</summary>
    public static IReadOnlyList<PreviewStep> Read(string json, string file = "the pulumi preview output")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{file} is not valid JSON: {e.Message}");
        }

        if (root is not JsonObject digest || !(digest.ContainsKey("steps") || digest.ContainsKey("changeSummary")))
        {
            throw new InvalidInputException($"{file} is not the output of `pulumi preview --json`: expected an object with \"steps\" (and \"changeSummary\")");
        }

        if (digest["steps"] is null)
        {
            return [];
        }

        if (digest["steps"] is not JsonArray steps)
        {
            throw new InvalidInputException($"{file}: \"steps\" is not an array");
        }

        return [.. steps.Select((step, i) => Step(step, $"{file}: steps[{i}]"))];
    }

    private static PreviewStep Step(JsonNode? node, string where)
    {
        if (node is not JsonObject step)
        {
            throw new InvalidInputException($"{where} is not an object");
        }

        var op = Text(step, "op") ?? throw new InvalidInputException($"{where} has no \"op\"");
        if (!KnownOps.Contains(op))
        {
            throw new InvalidInputException($"{where}: unknown op \"{op}\"");
        }

        var urn = Text(step, "urn") ?? throw new InvalidInputException($"{where} has no \"urn\"");
        var parts = urn.Split("::", 4);
        if (!urn.StartsWith("urn:pulumi:", StringComparison.Ordinal) || parts.Length != 4)
        {
            throw new InvalidInputException($"{where}: \"{urn}\" is not a Pulumi URN (urn:pulumi:STACK::PROJECT::TYPE::NAME)");
        }

        var oldState = step["oldState"] as JsonObject;
        var newState = step["newState"] as JsonObject;
        // The qualified type in a URN is parent$child; the state (when present) names the type itself.
        var type = Text(step, "type") ?? Text(newState, "type") ?? Text(oldState, "type") ?? parts[2].Split('$')[^1];
        var detailed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (step["detailedDiff"] is JsonObject diffs)
        {
            foreach (var (path, diff) in diffs)
            {
                detailed[path] = Text(diff as JsonObject, "kind") ?? throw new InvalidInputException($"{where}: detailedDiff[\"{path}\"] has no \"kind\"");
            }
        }

        return new PreviewStep(
            op, urn, parts[3], ShortType(type), Strings(step, "replaceReasons", where), Strings(step, "diffReasons", where), detailed,
            oldState?["inputs"] as JsonObject, newState?["inputs"] as JsonObject);
    }

    /// <summary>
    /// The offline changes with the preview's steps merged in, by logical name:
    /// <list type="bullet">
    /// <item>A step only in the preview becomes a change with Source "pulumi" (HoldsData from the same <see cref="ReplacementTable"/>).</item>
    /// <item>A resource in both keeps one entry, Source "offline+pulumi": the more destructive of the two operations (a
    /// replacement the preview sees and the offline analysis did not is a replacement, and the reverse too: the offline
    /// rules cover failures the provider only reports at apply time, such as an EBS shrink), the union of property
    /// changes (a path forces replacement if either says so) and reasons, and a reason naming the disagreement if the
    /// operations differ.</item>
    /// <item><c>same</c> steps (and read/refresh/discard steps) add nothing; a resource the offline analysis replaces or
    /// deletes but the preview leaves the same says so in its reasons.</item>
    /// </list>
    /// The result is in <see cref="ProgramDiff.Order"/>.
    /// </summary>
    public static IReadOnlyList<ResourceChange> Merge(IReadOnlyList<ResourceChange> offline, IReadOnlyList<PreviewStep> steps)
    {
        var fromPreview = steps
            .Select(s => (Step: s, Op: OpOf(s.Op)))
            .Where(s => s.Op is not null)
            .GroupBy(s => s.Step.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => FromSteps(g.OrderBy(s => ProgramDiff.Severity(s.Op!.Value)).Select(s => s.Step).ToList()), StringComparer.Ordinal);
        var same = steps.Where(s => s.Op == "same").Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        var merged = new List<ResourceChange>();
        foreach (var change in offline)
        {
            if (fromPreview.Remove(change.Name, out var previewed))
            {
                merged.Add(Both(change, previewed));
            }
            else if (same.Contains(change.Name) && change.Op is ResourceOp.Replace or ResourceOp.Delete)
            {
                merged.Add(change with { ReplaceReasons = [.. change.ReplaceReasons, "pulumi preview shows no change for it (same)"] });
            }
            else
            {
                merged.Add(change);
            }
        }

        merged.AddRange(fromPreview.Values);
        return ProgramDiff.Order(merged);
    }

    private static ResourceChange Both(ResourceChange offline, ResourceChange previewed)
    {
        var op = ProgramDiff.Severity(previewed.Op) < ProgramDiff.Severity(offline.Op) ? previewed.Op : offline.Op;
        var properties = offline.Properties.ToList();
        foreach (var property in previewed.Properties)
        {
            var index = properties.FindIndex(p => p.Path == property.Path);
            if (index < 0)
            {
                properties.Add(property);
            }
            else if (property.ForcesReplacement && !properties[index].ForcesReplacement)
            {
                properties[index] = properties[index] with { ForcesReplacement = true };
            }
        }

        var reasons = offline.ReplaceReasons.Concat(previewed.ReplaceReasons).ToList();
        if (offline.Op != previewed.Op)
        {
            reasons.Add($"pulumi preview: {Word(previewed.Op)}; offline analysis: {Word(offline.Op)}");
        }

        return new ResourceChange(
            offline.Name, offline.Type, op, properties, [.. reasons.Distinct(StringComparer.Ordinal)],
            offline.HoldsData || previewed.HoldsData, BothSources);
    }

    // The steps of one resource (a replacement has up to three), most destructive first.
    private static ResourceChange FromSteps(List<PreviewStep> steps)
    {
        var first = steps[0];
        var properties = new List<PropertyChange>();
        var reasons = new List<string>();
        foreach (var step in steps)
        {
            var paths = step.DetailedDiff.Count > 0
                ? step.DetailedDiff
                : step.DiffReasons.ToDictionary(r => r, _ => "update", StringComparer.Ordinal);
            foreach (var (path, kind) in paths.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var parsed = PropertyPath.Parse(path);
                var display = "properties." + parsed;
                if (properties.Any(p => p.Path == display))
                {
                    continue;
                }

                var forces = kind.EndsWith("-replace", StringComparison.Ordinal) || step.ReplaceReasons.Contains(path, StringComparer.Ordinal);
                properties.Add(new PropertyChange(display, Shown(step.OldInputs, parsed), Shown(step.NewInputs, parsed), forces));
            }

            reasons.AddRange(step.ReplaceReasons.Select(r => $"{r} forces replacement (pulumi preview)"));
        }

        return new ResourceChange(
            first.Name, first.Type, OpOf(first.Op)!.Value, properties, [.. reasons.Distinct(StringComparer.Ordinal)],
            ReplacementTable.HoldsData(first.Type), Source);
    }

    private static ResourceOp? OpOf(string op) => op switch
    {
        "create" or "import" => ResourceOp.Create,
        "update" => ResourceOp.Update,
        "delete" => ResourceOp.Delete,
        "replace" or "create-replacement" or "delete-replaced" or "import-replacement" => ResourceOp.Replace,
        _ => null,
    };

    private static string Word(ResourceOp op) => op.ToString().ToLowerInvariant();

    // A value from a state's inputs at a path, for display (secret-named keys and Pulumi secret values masked).
    private static string? Shown(JsonObject? inputs, PropertyPath path)
    {
        JsonNode? node = inputs;
        foreach (var segment in path.Segments)
        {
            node = segment.StartsWith('[') && int.TryParse(segment[1..^1], out var index)
                ? node is JsonArray array && index < array.Count ? array[index] : null
                : node is JsonObject obj ? obj[segment] : null;
        }

        if (node is null)
        {
            return null;
        }

        if (path.Segments.Any(DisplayValue.IsSecretKey) || IsPulumiSecret(node))
        {
            return DisplayValue.Masked;
        }

        return DisplayValue.Text(node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString());
    }

    // Pulumi writes a secret in a state as {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}.
    private static bool IsPulumiSecret(JsonNode node) =>
        node is JsonObject obj && obj.ContainsKey("4dabf18193072939515e22adb298388d")
        || (node is JsonValue v && v.TryGetValue<string>(out var s) && s == "[secret]");

    private static string ShortType(string type)
    {
        var parts = type.Split(':');
        return parts.Length == 3 && parts[1].Contains('/', StringComparison.Ordinal) ? $"{parts[0]}:{parts[1].Split('/')[0]}:{parts[2]}" : type;
    }

    private static string? Text(JsonObject? obj, string key) =>
        obj?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Strings(JsonObject step, string key, string where) => step[key] switch
    {
        null => [],
        JsonArray array => [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidInputException($"{where}: \"{key}\" holds a non-string"))],
        _ => throw new InvalidInputException($"{where}: \"{key}\" is not an array"),
    };
}
