using System.Globalization;

namespace HaInfra.Operations.Backups;

/// <summary>
/// Which archived binlog segments a point-in-time restore replays after its base backup, and the proof that they
/// reach the target: the archive must be continuous from the backup to the target; a gap, or an archive that ends
/// before the target, is an error, never a silently shorter restore.
/// </summary>
public static class ArchiveCoverage
{
    public static List<BackupManifest> SegmentsFor(BackupCatalog catalog, BackupManifest baseBackup, ulong baseSequence, RestoreTarget target)
    {
        if (NothingWrittenSince(catalog, baseSequence, target))
        {
            return [];
        }

        var needed = catalog.Binlogs.Where(s => BackupCatalog.LastSequence(s) > baseSequence).ToList();
        var expected = baseSequence + 1;
        var chosen = new List<BackupManifest>();
        foreach (var segment in needed)
        {
            var first = BackupCatalog.FirstSequence(segment);
            var last = BackupCatalog.LastSequence(segment);
            if (last < expected)
            {
                continue;
            }

            if (first > expected)
            {
                throw new OperationFailedException(
                    $"the binlog archive has a gap: nothing archived holds sequence {expected} (the next segment, {segment.Id}, starts at {segment.FirstGtid}).",
                    "restore to a point before the gap, or from a backup taken after it.");
            }

            chosen.Add(segment);
            expected = last + 1;
            if (Reached(segment, target))
            {
                return chosen;
            }
        }

        if (target.Time is null && target.Gtid!.Value.Sequence <= baseSequence)
        {
            return chosen;
        }

        var end = chosen.Count > 0 ? $"{chosen[^1].LastGtid} at {chosen[^1].LastEvent}" : $"the backup's own GTID '{baseBackup.Gtid}'";
        throw new OperationFailedException(
            $"the binlog archive ends at {end}, before {target}: a restore there would silently lack later transactions.",
            "archived segments are uploaded when the primary closes them: run FLUSH BINARY LOGS on the primary, wait a few seconds for the upload, and restore again.");
    }

    /// <summary>
    /// Nothing was written between the backup and the target time: from the binlog file that ends with the backup's
    /// own transaction, the same server's next files are archived without a gap and hold no later transaction, up to
    /// one still open at the target. (A FLUSH BINARY LOGS, e.g. by a backup, may close the first file before the
    /// target: then an empty next file proves it.) Never when the archive holds a later transaction in a segment
    /// that began by the target (a failed-over primary's last commits, say): the replay path decides then.
    /// </summary>
    private static bool NothingWrittenSince(BackupCatalog catalog, ulong baseSequence, RestoreTarget target) =>
        target.Time is { } time
        && !catalog.Binlogs.Any(s => BackupCatalog.LastSequence(s) > baseSequence && BackupManifest.EventTime(s.FirstEvent) is { } first && first <= time)
        && catalog.Binlogs
            .Where(s => BackupCatalog.FirstSequence(s) <= baseSequence && BackupCatalog.LastSequence(s) == baseSequence)
            .Any(first => ContinuesEmptyUntil(catalog, first, baseSequence, target));

    /// <summary>
    /// The files of <paramref name="first"/>'s server after it, in the same binlog history, are archived without a
    /// gap, hold nothing past the backup, and reach the target. Several servers' files can end with the backup's
    /// transaction (every primary logs what it replicated before its term), and the archive may have gone on
    /// following any of them. A reset of the server's binlogs starts its file numbers again in a new history: a file
    /// of another history with the next number is not the next file.
    /// </summary>
    private static bool ContinuesEmptyUntil(BackupCatalog catalog, BackupManifest first, ulong baseSequence, RestoreTarget target)
    {
        if (FileNumber(first.File) is not { } number)
        {
            return false;
        }

        var files = catalog.Binlogs.Where(s => s.Source == first.Source && s.History == first.History && FileNumber(s.File) is not null)
            .GroupBy(s => FileNumber(s.File)!.Value).ToDictionary(g => g.Key, g => g.First());
        for (var n = number; files.TryGetValue(n, out var segment); n++)
        {
            if (BackupCatalog.LastSequence(segment) > baseSequence)
            {
                return false;
            }

            if (Reached(segment, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The number of a binlog file name ("mysql-bin.000012" → 12).</summary>
    private static long? FileNumber(string? file) =>
        file is not null && long.TryParse(Path.GetExtension(file).TrimStart('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// True once the segments so far hold everything before the target: for a time, the segment was still open at
    /// that time (its closing Rotate event is not earlier), so no earlier event can be in a later segment.
    /// </summary>
    private static bool Reached(BackupManifest segment, RestoreTarget target) => target.Time is { } time
        ? (BackupManifest.EventTime(segment.ClosedAt) ?? BackupManifest.EventTime(segment.LastEvent)) is { } closed && closed >= time
        : BackupCatalog.LastSequence(segment) >= target.Gtid!.Value.Sequence;
}
