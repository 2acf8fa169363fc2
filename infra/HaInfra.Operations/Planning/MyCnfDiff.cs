namespace HaInfra.Operations.Planning;

/// <summary>The my.cnf changes of one host between two texts, key by key, each with how it takes effect.</summary>
public static class MyCnfDiff
{
    /// <param name="baseText">The host's my.cnf on the base side; null when it has none.</param>
    /// <param name="headText">The host's my.cnf on the head side; null when it has none.</param>
    public static HostOptionChanges Compare(string host, string? baseText, string? headText, ServerVariables? variables = null) =>
        Compare(host, OptionFile.Parse(baseText), OptionFile.Parse(headText), variables);

    /// <summary>Changes ordered by section, then key; values compared as written (after unquoting), lists in order.</summary>
    public static HostOptionChanges Compare(string host, OptionFile before, OptionFile after, ServerVariables? variables = null)
    {
        variables ??= ServerVariables.MariaDb;
        var keys = before.Options.Select(o => (o.Section, o.Key)).Union(after.Options.Select(o => (o.Section, o.Key)))
            .OrderBy(k => k.Section, StringComparer.Ordinal).ThenBy(k => k.Key, StringComparer.Ordinal);
        var changes = new List<OptionChange>();
        foreach (var (section, key) in keys)
        {
            var old = Text(before.Values(section, key));
            var @new = Text(after.Values(section, key));
            if (old != @new)
            {
                changes.Add(new OptionChange(section, key, old, @new, EffectOf(section, key, variables)));
            }
        }

        return new HostOptionChanges(host, changes);
    }

    public static OptionEffect EffectOf(string section, string key, ServerVariables variables) =>
        OptionSections.IsClient(section) ? OptionEffect.Dynamic : variables.EffectOf(key);

    /// <summary>One value, or a repeated key's values joined in order.</summary>
    private static string? Text(IReadOnlyList<string>? values) => values is null ? null : string.Join(", ", values);
}
