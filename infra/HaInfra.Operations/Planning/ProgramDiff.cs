using YamlDotNet.RepresentationModel;

namespace HaInfra.Operations.Planning;

/// <summary>
/// The resource changes between two synthesized Pulumi YAML programs, found offline (no state, no cloud): what
/// <c>pulumi up</c> would create, update, replace or delete, with property paths and the reasons for replacements.
/// <list type="bullet">
/// <item>Only in the head program: Create. Only in the base: Delete (a renamed resource is a Delete and a Create).</item>
/// <item>In both: <c>properties</c> compared recursively; paths under the resource's <c>options.ignoreChanges</c> are no
/// change at all (as in Pulumi). A changed <c>type</c>, a property the <see cref="ReplacementTable"/> forces, or a move to
/// a provider of another region replaces; anything else updates. <c>dependsOn</c> alone is no change.</item>
/// <item>Replacements cascade as in Pulumi: a resource replaced gets new outputs, so a resource whose forcing property
/// refers to it (<c>subnetId: ${subnet_x.id}</c>) is replaced too, and one whose other properties refer to it is updated.
/// A changed variable (an invoke) cascades the same way.</item>
/// </list>
/// Order: by operation, most destructive first (Delete, Replace, Update, Create), then by name (ordinal), so the risks
/// lead and the output is deterministic.
/// </summary>
public static class ProgramDiff
{
    public const string Source = "offline";

    public static IReadOnlyList<ResourceChange> Compare(string? baseProgram, string? headProgram)
    {
        var before = PulumiProgram.Parse(baseProgram, "the base program");
        var after = PulumiProgram.Parse(headProgram, "the head program");
        var changes = new Dictionary<string, ResourceChange>(StringComparer.Ordinal);

        foreach (var (name, resource) in after.Resources.Where(r => !before.Resources.ContainsKey(r.Key)))
        {
            changes[name] = Whole(resource, ResourceOp.Create);
        }

        foreach (var (name, resource) in before.Resources.Where(r => !after.Resources.ContainsKey(r.Key)))
        {
            changes[name] = Whole(resource, ResourceOp.Delete);
        }

        foreach (var (name, newResource) in after.Resources)
        {
            if (before.Resources.TryGetValue(name, out var oldResource) && Direct(oldResource, newResource, before, after) is { } change)
            {
                changes[name] = change;
            }
        }

        Cascade(changes, before, after);
        return Order(changes.Values);
    }

    /// <summary>Most destructive first, then by name: the order every list of resource changes in a plan uses.</summary>
    public static IReadOnlyList<ResourceChange> Order(IEnumerable<ResourceChange> changes) =>
        [.. changes.OrderBy(c => Severity(c.Op)).ThenBy(c => c.Name, StringComparer.Ordinal)];

    public static int Severity(ResourceOp op) => op switch
    {
        ResourceOp.Delete => 0,
        ResourceOp.Replace => 1,
        ResourceOp.Update => 2,
        _ => 3,
    };

    private static ResourceChange Whole(ProgramResource resource, ResourceOp op) =>
        new(resource.Name, resource.Type, op, [], [], ReplacementTable.HoldsData(resource.Type), Source);

    private static ResourceChange? Direct(ProgramResource oldResource, ProgramResource newResource, PulumiProgram before, PulumiProgram after)
    {
        var properties = new List<PropertyChange>();
        var reasons = new List<string>();
        if (oldResource.Type != newResource.Type)
        {
            properties.Add(new PropertyChange("type", oldResource.Type, newResource.Type, true));
            reasons.Add($"type changes from {oldResource.Type} to {newResource.Type}");
        }

        foreach (var raw in PropertyDiff.Compare(oldResource.Properties, newResource.Properties, PropertyPath.Root))
        {
            if (Ignored(newResource, raw.Path))
            {
                continue;
            }

            var reason = ReplacementTable.ReplaceReason(newResource.Type, raw.Path, ScalarOf(raw.Old), ScalarOf(raw.New), HeadProperty(newResource));
            properties.Add(new PropertyChange("properties." + raw.Path, DisplayValue.Of(raw.Old, raw.Path), DisplayValue.Of(raw.New, raw.Path), reason is not null));
            if (reason is not null)
            {
                reasons.Add(reason);
            }
        }

        ProviderChange(oldResource, newResource, before, after, properties, reasons);
        if (oldResource.Version != newResource.Version)
        {
            properties.Add(new PropertyChange("options.version", oldResource.Version, newResource.Version, false));
        }

        if (properties.Count == 0)
        {
            return null;
        }

        // What a replacement deletes is the old resource: either type holding data makes it a data loss.
        var op = reasons.Count > 0 ? ResourceOp.Replace : ResourceOp.Update;
        var holdsData = ReplacementTable.HoldsData(oldResource.Type) || ReplacementTable.HoldsData(newResource.Type);
        return new ResourceChange(newResource.Name, newResource.Type, op, properties, Distinct(reasons), holdsData, Source);
    }

    // A resource served by a provider of another region is deleted there and created in the new one: pulumi-aws v7 has no
    // cascading provider replacement (pulumi/pulumi-aws#5656), but each resource's region argument forces replacement.
    private static void ProviderChange(
        ProgramResource oldResource, ProgramResource newResource, PulumiProgram before, PulumiProgram after, List<PropertyChange> properties, List<string> reasons)
    {
        var oldRegion = before.RegionOf(oldResource.Provider);
        var newRegion = after.RegionOf(newResource.Provider);
        if (oldRegion != newRegion)
        {
            properties.Add(new PropertyChange("options.provider", Labelled(oldResource.Provider, oldRegion), Labelled(newResource.Provider, newRegion), true));
            reasons.Add($"region changes from {oldRegion ?? "(provider default)"} to {newRegion ?? "(provider default)"} (its provider)");
        }
        else if (oldResource.Provider != newResource.Provider)
        {
            properties.Add(new PropertyChange("options.provider", Labelled(oldResource.Provider, oldRegion), Labelled(newResource.Provider, newRegion), false));
        }
    }

    private static string? Labelled(string? provider, string? region) =>
        provider is null ? null : region is null ? "${" + provider + "}" : "${" + provider + "} (" + region + ")";

    /// <summary>
    /// Replacements give a resource new outputs (ids, addresses, key material); each resource referring to one changes
    /// too, and is replaced itself when the referring property forces it. Repeats until nothing more changes.
    /// </summary>
    private static void Cascade(Dictionary<string, ResourceChange> changes, PulumiProgram before, PulumiProgram after)
    {
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in after.Variables)
        {
            if (before.Variables.TryGetValue(name, out var old) && PropertyDiff.Compare(old, value, PropertyPath.Root).Count > 0)
            {
                changed[name] = $"variable {name} changes";
            }
        }

        var queue = new Queue<string>(changes.Values.Where(c => c.Op == ResourceOp.Replace).Select(c => c.Name).Concat(changed.Keys));
        foreach (var name in changes.Values.Where(c => c.Op == ResourceOp.Replace).Select(c => c.Name))
        {
            changed[name] = $"{name} is replaced";
        }

        while (queue.TryDequeue(out var cause))
        {
            foreach (var resource in after.Resources.Values)
            {
                var existing = changes.GetValueOrDefault(resource.Name);
                if (!before.Resources.ContainsKey(resource.Name) || existing?.Op is ResourceOp.Delete or ResourceOp.Create)
                {
                    continue;
                }

                // A resource already replaced still lists every reference that changes; it is queued once.
                var update = Referring(resource, cause, changed[cause], existing);
                if (update is null)
                {
                    continue;
                }

                changes[resource.Name] = update;
                if (update.Op == ResourceOp.Replace && existing?.Op != ResourceOp.Replace)
                {
                    changed[resource.Name] = $"{resource.Name} is replaced";
                    queue.Enqueue(resource.Name);
                }
            }
        }
    }

    // The changes of one resource whose properties refer to `cause`, merged into what it already had; null when none.
    private static ResourceChange? Referring(ProgramResource resource, string cause, string why, ResourceChange? existing)
    {
        var properties = existing?.Properties.ToList() ?? [];
        var reasons = existing?.ReplaceReasons.ToList() ?? [];
        var added = false;
        foreach (var (path, node) in Leaves(resource.Properties, PropertyPath.Root))
        {
            var display = "properties." + path;
            if (!PulumiProgram.References(node.Value ?? "").Contains(cause, StringComparer.Ordinal)
                || Ignored(resource, path)
                || properties.Any(p => p.Path == display))
            {
                continue;
            }

            var forced = ReplacementTable.ReplaceReason(resource.Type, path, null, null, HeadProperty(resource)) is not null;
            properties.Add(new PropertyChange(display, DisplayValue.Of(node, path), $"<changes: {why}>", forced));
            if (forced)
            {
                reasons.Add($"{path} forces replacement ({why})");
            }

            added = true;
        }

        if (!added)
        {
            return null;
        }

        var op = reasons.Count > 0 ? ResourceOp.Replace : ResourceOp.Update;
        return new ResourceChange(resource.Name, resource.Type, op, properties, Distinct(reasons), existing?.HoldsData ?? ReplacementTable.HoldsData(resource.Type), Source);
    }

    private static IEnumerable<(PropertyPath Path, YamlScalarNode Node)> Leaves(YamlNode node, PropertyPath path)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                yield return (path, scalar);
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    var next = name.StartsWith("fn::", StringComparison.Ordinal) && mapping.Children.Count == 1 ? path : path.Key(name);
                    foreach (var leaf in Leaves(value, next))
                    {
                        yield return leaf;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    foreach (var leaf in Leaves(sequence.Children[i], path.Index(i)))
                    {
                        yield return leaf;
                    }
                }

                break;
        }
    }

    private static bool Ignored(ProgramResource resource, PropertyPath path) => resource.IgnoreChanges.Any(path.StartsWith);

    private static string? ScalarOf(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static Func<string, string?> HeadProperty(ProgramResource resource) => key => PulumiProgram.Scalar(resource.Properties, key);

    private static List<string> Distinct(List<string> reasons) => [.. reasons.Distinct(StringComparer.Ordinal)];
}
