namespace HaInfra.Operations.Backups;

/// <summary>
/// What a verification proves, decided without a server so every rule is unit-tested: every table of the restore
/// has a checksum taken at backup time and equals it. An empty reference, or a table the reference does not list,
/// is a failure, never a silent pass over fewer tables.
/// </summary>
public static class ChecksumComparison
{
    /// <param name="expected">The reference: "schema.table" to the checksum taken at backup time.</param>
    /// <param name="actual">CHECKSUM TABLE of the reference's tables in the restore (missing ones absent).</param>
    /// <param name="restored">Every base table of the restore outside the system schemas, as "schema.table".</param>
    public static IReadOnlyList<string> Problems(
        IReadOnlyDictionary<string, string?> expected, IReadOnlyDictionary<string, string?> actual, IReadOnlyCollection<string> restored)
    {
        var problems = new List<string>();
        if (expected.Count == 0 && restored.Count > 0)
        {
            problems.Add($"the checksum reference lists no table, but the restore holds {restored.Count}");
            return problems;
        }

        var differing = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value)
            .Select(e => $"{e.Key} ({actual.GetValueOrDefault(e.Key) ?? "missing"} vs {e.Value})").ToList();
        if (differing.Count > 0)
        {
            problems.Add($"{differing.Count} of {expected.Count} tables differ from the checksums taken at backup time: {string.Join(", ", differing.Take(10))}");
        }

        var unreferenced = restored.Where(t => !expected.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        if (unreferenced.Count > 0)
        {
            problems.Add($"{unreferenced.Count} tables of the restore have no checksum in the reference: {string.Join(", ", unreferenced.Take(10))}");
        }

        return problems;
    }
}
