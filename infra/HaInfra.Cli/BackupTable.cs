using HaInfra.Operations.Backups;
using HaInfra.Operations.Seeding;
using Spectre.Console;

namespace HaInfra.Cli;

/// <summary>`backup list`: backups as a table (age, kind, size, chain) and a one-line summary of the binlog archive.</summary>
public static class BackupTable
{
    /// <param name="primary">The live primary and its position, when known: the archive's lag is counted against it.</param>
    public static void Write(BackupCatalog catalog, DateTimeOffset now, (string Host, HaInfra.Model.Gtids.GtidPosition Position)? primary = null)
    {
        var console = StdoutConsole.Create();
        var table = StdoutConsole.Table("id", "kind", "host", "age", "GTID", "raw", "stored", "ratio", "chain");

        foreach (var b in catalog.Backups)
        {
            table.AddRow(
                new Text(b.Id), new Text(b.Kind), new Text(b.Host), new Text(Age(now - b.Finished)), new Text(b.Gtid ?? "-"),
                new Text(SeedProgress.Size(b.RawBytes)), new Text(SeedProgress.Size(b.StoredBytes)),
                new Text(b.RawBytes > 0 ? $"{b.StoredBytes / (double)b.RawBytes:0.00}" : "-"),
                new Text(b.KindOf == HaInfra.Model.Backups.BackupKind.Full || b.Chain is null ? "-" : b.Chain));
        }

        foreach (var u in catalog.Unreadable)
        {
            table.AddRow(new Text(u.Directory), new Text("UNREADABLE"), new Text("-"), new Text("-"), new Text($"manifest: {u.Reason}"),
                new Text("-"), new Text("-"), new Text("-"), new Text("-"));
        }

        console.Write(table);
        var segments = catalog.Binlogs;
        console.WriteLine(segments.Count == 0
            ? "binlog archive: no segment uploaded yet."
            : $"binlog archive: {segments.Count} segments, {segments[0].FirstGtid} .. {segments[^1].LastGtid}, newest event {segments[^1].LastEvent}.");
        if (primary is { } p)
        {
            var stored = segments.Count == 0 ? HaInfra.Model.Gtids.GtidPosition.Empty : HaInfra.Model.Gtids.GtidPosition.Parse(segments[^1].LastGtid);
            var behind = HaInfra.Operations.DisasterRecovery.DataAtRisk.Missing(stored, p.Position);
            console.WriteLine(behind == 0
                ? $"archive lag: none; the stored segments hold {p.Host}'s last transaction ('{p.Position}')."
                : $"archive lag: {behind} transaction(s) of {p.Host} ('{p.Position}') are not stored yet (the archive closes the open binlog once it has held a transaction for a third of objectives.rpoSeconds).");
        }

        if (catalog.Unreadable.Count > 0)
        {
            console.WriteLine($"{catalog.Unreadable.Count} manifests cannot be read (listed above as UNREADABLE): those backups are never used for a restore " +
                "and never pruned; inspect them (rclone cat …/manifest.json) and delete them by hand once you decided.");
        }

        if (catalog.Unfinished.Count > 0)
        {
            console.WriteLine($"{catalog.Unfinished.Count} objects have no manifest (unfinished uploads; never used; `backup prune --force` removes them after a day).");
        }
    }

    private static string Age(TimeSpan age) => age.TotalDays >= 1 ? $"{age.TotalDays:0.0} d" : age.TotalHours >= 1 ? $"{age.TotalHours:0.0} h" : $"{age.TotalMinutes:0} min";
}
