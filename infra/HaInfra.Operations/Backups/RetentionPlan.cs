using HaInfra.Model.Backups;

namespace HaInfra.Operations.Backups;

/// <summary>One object prune would delete, and why.</summary>
public sealed record Deletion(string What, IReadOnlyList<string> Keys, string Why);

/// <summary>
/// What retention allows deleting, decided from manifests and a clock alone (so every rule is unit-tested):
/// a backup goes only when it is past its kind's retention AND nothing retained still needs it. A chain still in
/// retention is never broken, the newest complete chain and the newest logical dump are always kept, and binlog
/// segments stay while a kept backup could need them for a point-in-time restore.
/// </summary>
public static class RetentionPlan
{
    /// <summary>An upload without a manifest is given this long to finish before it counts as abandoned.</summary>
    public static readonly TimeSpan UnfinishedGrace = TimeSpan.FromDays(1);

    public static IReadOnlyList<Deletion> Plan(BackupCatalog catalog, BackupRetention retention, DateTimeOffset now)
    {
        var deletions = new List<Deletion>();
        var kept = new List<BackupManifest>();
        var chains = catalog.Backups.Where(b => b.IsPhysical).GroupBy(b => b.Chain ?? b.Id).Select(g => g.OrderBy(b => b.Finished).ToList()).ToList();
        var newestChain = chains.OrderBy(c => c[^1].Finished).LastOrDefault(c => c[0].KindOf == BackupKind.Full);
        foreach (var chain in chains)
        {
            for (var i = 0; i < chain.Count; i++)
            {
                var later = chain.Skip(i + 1).ToList();
                var needed = chain == newestChain || !Expired(chain[i], retention, now) || later.Any(l => !Expired(l, retention, now));
                if (needed)
                {
                    kept.Add(chain[i]);
                }
                else
                {
                    deletions.Add(Delete(catalog, chain[i], $"{chain[i].Kind} backup older than {Days(chain[i], retention)} days; no retained backup builds on it"));
                }
            }
        }

        var logical = catalog.Backups.Where(b => b.KindOf == BackupKind.Logical).ToList();
        foreach (var dump in logical.Take(Math.Max(0, logical.Count - 1)).Where(d => Expired(d, retention, now)))
        {
            deletions.Add(Delete(catalog, dump, $"logical backup older than {retention.LogicalDays} days"));
        }

        // Point-in-time restores replay from the oldest kept backup's GTID onwards.
        var oldestKept = kept.Where(b => b.Gtid is { Length: > 0 }).Select(b => b.Position.Gtids[0].Sequence).DefaultIfEmpty(ulong.MaxValue).Min();
        foreach (var segment in catalog.Binlogs)
        {
            var age = now - (BackupManifest.EventTime(segment.LastEvent) ?? segment.Finished);
            if (age > TimeSpan.FromDays(retention.BinlogDays) && BackupCatalog.LastSequence(segment) <= oldestKept)
            {
                deletions.Add(Delete(catalog, segment, $"binlog segment older than {retention.BinlogDays} days, before every kept backup"));
            }
        }

        foreach (var orphan in catalog.Unfinished.Where(o => now - o.Modified > UnfinishedGrace))
        {
            deletions.Add(new Deletion(orphan.Key, [orphan.Key], "upload without a manifest (it never finished)"));
        }

        return deletions;
    }

    private static bool Expired(BackupManifest backup, BackupRetention retention, DateTimeOffset now) =>
        now - backup.Finished > TimeSpan.FromDays(Days(backup, retention));

    private static int Days(BackupManifest backup, BackupRetention retention) => backup.KindOf switch
    {
        BackupKind.Full => retention.FullDays,
        BackupKind.Incremental => retention.IncrementalDays,
        BackupKind.Logical => retention.LogicalDays,
        _ => retention.BinlogDays,
    };

    // The manifest goes first: an interrupted prune then leaves an unfinished object, never a manifest without data.
    private static Deletion Delete(BackupCatalog catalog, BackupManifest backup, string why) =>
        new(backup.Id, [.. new[] { backup.Key, backup.DataKey, $"{backup.Directory}/checksums.json.age" }.Where(catalog.Keys.Contains)], why);
}
