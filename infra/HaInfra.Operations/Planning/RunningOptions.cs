namespace HaInfra.Operations.Planning;

/// <summary>
/// What writing a host's my.cnf would change on its running server: each server option compared with the value the
/// server runs with (SHOW GLOBAL VARIABLES), in whatever form the server shows it (<see cref="OptionValues"/>). Options
/// the server cannot show — start-up options with no variable (user, plugin_load_add), client sections, options
/// removed from the file, role-managed variables — are compared with the my.cnf it was started from, on disk.
/// </summary>
public static class RunningOptions
{
    /// <summary>Set at run time by HaInfra on the live primary (writable, semi-sync source); the file holds the replica's value.</summary>
    public static IReadOnlySet<string> RoleManaged { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "read_only", "super_read_only", "rpl_semi_sync_master_enabled", "rpl_semi_sync_source_enabled",
    };

    /// <param name="desired">The options it would run with: the rendered my.cnf, then the local overlay.</param>
    /// <param name="onDisk">The options now on disk, which the running server was (most likely) started from.</param>
    /// <param name="running">Every global variable of the running server, by lower-case name.</param>
    public static HostOptionChanges Compare(
        string host, OptionFile desired, OptionFile onDisk, IReadOnlyDictionary<string, string?> running, ServerVariables? variables = null)
    {
        variables ??= ServerVariables.MariaDb;
        var changes = new List<OptionChange>();
        var checkedLive = new HashSet<(string, string)>();
        foreach (var (section, key, values) in desired.Options)
        {
            if (!OptionSections.IsServer(section) || variables.VariableOf(key) is not { } variable || RoleManaged.Contains(variable.Name)
                || !running.TryGetValue(variable.Name, out var value))
            {
                continue;
            }

            checkedLive.Add((section, key));
            var want = DesiredValue(key, variable, values[^1]);
            if (!OptionValues.Same(variable.Name, want, value, running))
            {
                changes.Add(new OptionChange(section, key, value, values[^1], MyCnfDiff.EffectOf(section, key, variables)));
            }
        }

        changes.AddRange(MyCnfDiff.Compare(host, onDisk, desired, variables).Changes.Where(c => !checkedLive.Contains((c.Section, c.Key))));
        return new HostOptionChanges(host, [.. changes.OrderBy(c => c.Section, StringComparer.Ordinal).ThenBy(c => c.Key, StringComparer.Ordinal)]);
    }

    /// <summary>The value a key sets its variable to: a bare boolean option is ON; skip_X and disable_X set X to OFF.</summary>
    private static string DesiredValue(string key, ServerVariable variable, string written)
    {
        var on = written.Length == 0 || OptionValues.Bool(written) == true;
        if (key != variable.Name && (key.StartsWith("skip_", StringComparison.Ordinal) || key.StartsWith("disable_", StringComparison.Ordinal)))
        {
            return on ? "OFF" : "ON";
        }

        return written.Length == 0 ? "ON" : written;
    }
}
