using System.Text.Json;

namespace HaInfra.Synthesis.Checks;

/// <summary>One security rule as policy/rules.json lists it.</summary>
/// <param name="ConfigPath">The stack setting that can break the rule; null when only HaInfra's own code sets what it checks.</param>
public sealed record SecurityRule(string Id, string ResourceType, string Title, string Fix, string? ConfigPath);

/// <summary>
/// The rule list, read from policy/rules.json (embedded at build): the same file the Pulumi policy pack reads, so
/// `synth` and `pulumi preview --policy-pack policy` enforce one list.
/// </summary>
public static class SecurityRules
{
    private static readonly Lazy<IReadOnlyDictionary<string, SecurityRule>> Rules = new(Load);

    public static IReadOnlyCollection<SecurityRule> All => Rules.Value.Values.ToList();

    public static SecurityRule Get(string id) =>
        Rules.Value.TryGetValue(id, out var rule) ? rule : throw new InvalidOperationException($"policy/rules.json has no rule '{id}'");

    private static Dictionary<string, SecurityRule> Load()
    {
        using var stream = typeof(SecurityRules).Assembly.GetManifestResourceStream("security-rules.json")
            ?? throw new InvalidOperationException("policy/rules.json is not embedded in HaInfra.Synthesis");
        using var document = JsonDocument.Parse(stream);
        var rules = new Dictionary<string, SecurityRule>(StringComparer.Ordinal);
        foreach (var rule in document.RootElement.GetProperty("rules").EnumerateArray())
        {
            string? Text(string name) => rule.TryGetProperty(name, out var value) ? value.GetString() : null;
            var id = Text("id")!;
            rules.Add(id, new SecurityRule(id, Text("resourceType")!, Text("title")!, Text("fix")!, Text("configPath")));
        }

        return rules;
    }
}
