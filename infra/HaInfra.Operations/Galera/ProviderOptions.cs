namespace HaInfra.Operations.Galera;

/// <summary>
/// wsrep_provider_options as a map. my.cnf sets a few keys ("gcache.size=128M; ist.recv_addr=..."); the server shows
/// every key of the provider ("base_dir = ...; gcache.size = 128M; ..."), so a written value is compared key by key.
/// </summary>
public static class ProviderOptions
{
    public static IReadOnlyDictionary<string, string> Parse(string text) =>
        text.Trim().Trim('"').Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    /// <summary>Whether every key written in <paramref name="desired"/> has that value in <paramref name="running"/>.</summary>
    public static bool Includes(string running, string desired, Func<string, string, bool> same)
    {
        var have = Parse(running);
        return Parse(desired).All(w => have.TryGetValue(w.Key, out var value) && same(w.Value, value));
    }
}
