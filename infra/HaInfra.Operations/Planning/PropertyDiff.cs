using YamlDotNet.RepresentationModel;

namespace HaInfra.Operations.Planning;

/// <summary>One leaf difference between two YAML values: null Old (added) or null New (removed).</summary>
public sealed record RawChange(PropertyPath Path, YamlNode? Old, YamlNode? New);

/// <summary>
/// Recursive difference of two YAML values into property paths: mappings by key (in ordinal key order), lists by index,
/// scalars by text. A value present on one side only is one change at its path, not one per leaf.
/// </summary>
public static class PropertyDiff
{
    public static List<RawChange> Compare(YamlNode? oldNode, YamlNode? newNode, PropertyPath path)
    {
        var changes = new List<RawChange>();
        Walk(oldNode, newNode, path, changes);
        return changes;
    }

    private static void Walk(YamlNode? oldNode, YamlNode? newNode, PropertyPath path, List<RawChange> into)
    {
        switch (oldNode, newNode)
        {
            case (null, null):
                return;
            case (YamlScalarNode a, YamlScalarNode b):
                if (a.Value != b.Value)
                {
                    into.Add(new RawChange(path, a, b));
                }

                return;
            case (YamlMappingNode a, YamlMappingNode b) when SameFunction(a, b) is { } function:
                // fn::toJSON / fn::toBase64 wrap the real value: the user sees the property, not the wrapper.
                Walk(a.Children[function], b.Children[function], path, into);
                return;
            case (YamlMappingNode a, YamlMappingNode b):
                var keys = a.Children.Keys.Concat(b.Children.Keys).OfType<YamlScalarNode>()
                    .Select(k => k.Value ?? "").Distinct().Order(StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    Walk(PulumiProgram.Child(a, key), PulumiProgram.Child(b, key), path.Key(key), into);
                }

                return;
            case (YamlSequenceNode a, YamlSequenceNode b):
                for (var i = 0; i < Math.Max(a.Children.Count, b.Children.Count); i++)
                {
                    Walk(i < a.Children.Count ? a.Children[i] : null, i < b.Children.Count ? b.Children[i] : null, path.Index(i), into);
                }

                return;
            default:
                if (oldNode is null || newNode is null || !oldNode.Equals(newNode))
                {
                    into.Add(new RawChange(path, oldNode, newNode));
                }

                return;
        }
    }

    private static YamlScalarNode? SameFunction(YamlMappingNode a, YamlMappingNode b) =>
        a.Children.Count == 1 && b.Children.Count == 1
        && a.Children.Keys.Single() is YamlScalarNode { Value: { } name } key && name.StartsWith("fn::", StringComparison.Ordinal)
        && b.Children.Keys.Single() is YamlScalarNode other && other.Value == name
            ? key
            : null;
}
