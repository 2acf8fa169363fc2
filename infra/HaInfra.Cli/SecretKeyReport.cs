namespace HaInfra.Cli;

/// <summary>
/// Tells the synth output cache (scripts/synth-cache.bash) which config keys were secret in a run that printed a
/// program, so that its key can leave their values out: the program never holds them, and nothing derived from one
/// may be stored. Key names only, never a value; nothing is written unless the cache asked for it.
/// </summary>
public static class SecretKeyReport
{
    public const string Variable = "HAINFRA_SYNTH_SECRET_KEYS_OUT";

    public static void Write(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> secretKeys)
    {
        if (!environment.TryGetValue(Variable, out var path) || string.IsNullOrEmpty(path))
        {
            return;
        }

        // The cache finds these names in PULUMI_CONFIG's JSON text as written: a name JSON would escape cannot be
        // found there, so none is reported and the cache stays off for this config (its absence is the signal).
        var names = secretKeys.Order(StringComparer.Ordinal).ToList();
        if (names.Any(name => name.Any(c => c is < ' ' or > '~' or '"' or '\\')))
        {
            return;
        }

        File.WriteAllText(path, string.Concat(names.Select(name => name + "\n")));
    }
}
