using YamlDotNet.RepresentationModel;

namespace HaInfra.Rendering.Monitoring;

/// <summary>One alerting rule of a rendered rule file, as Prometheus reads it.</summary>
/// <param name="For">The rule's <c>for:</c> (null: fires at the first evaluation that matches).</param>
public sealed record AlertRule(
    string Alert, string Expr, TimeSpan? For, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<KeyValuePair<string, string>> Annotations);

/// <summary>One group of a rendered rule file: its name and its alerting rules, in file order.</summary>
public sealed record AlertRuleGroup(string Name, IReadOnlyList<AlertRule> Rules);

/// <summary>
/// Reads a rule file rendered by <see cref="AlertRulesRenderer"/> back into groups and rules, for clouds whose rule
/// service takes structured rules instead of the file (Azure Monitor's Prometheus rule groups). Reading the rendered
/// text, not the template's inputs, keeps one rule source: what promtool checks is what such a cloud evaluates.
/// </summary>
public static class AlertRuleFile
{
    public static IReadOnlyList<AlertRuleGroup> Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return [.. ((YamlSequenceNode)root["groups"]).Children.Cast<YamlMappingNode>().Select(group => new AlertRuleGroup(
            Scalar(group, "name")!,
            [.. ((YamlSequenceNode)group["rules"]).Children.Cast<YamlMappingNode>().Select(Rule)]))];
    }

    private static AlertRule Rule(YamlMappingNode rule)
    {
        var alert = Scalar(rule, "alert")
            ?? throw new InvalidOperationException($"rule '{Scalar(rule, "record")}' is a recording rule: the rendered file has alerting rules only");
        var unknown = rule.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Except(["alert", "expr", "for", "labels", "annotations"], StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            // A field nobody translates would be dropped silently on a cloud that takes structured rules.
            throw new InvalidOperationException($"alert {alert}: {string.Join(", ", unknown)} is not translated for structured rule services");
        }

        return new AlertRule(alert, Scalar(rule, "expr")!, Scalar(rule, "for") is { } f ? PromDuration.Parse(f) : null, Map(rule, "labels"), Map(rule, "annotations"));
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static List<KeyValuePair<string, string>> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? [.. ((YamlMappingNode)value).Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value!, ((YamlScalarNode)e.Value).Value ?? ""))]
            : [];
}
