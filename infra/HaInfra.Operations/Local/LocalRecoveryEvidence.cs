using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Backups;
using HaInfra.Operations.DisasterRecovery;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>
/// What the local target knows of a lost primary's history: the binlog archive's stored segments and the segment it
/// was streaming (its spool on this machine), and each server's own binlog files for commit times.
/// </summary>
public sealed class LocalRecoveryEvidence(LocalBackups? backups, IReadOnlyDictionary<string, SqlEndpoint> admin, ISqlConnector connector) : IRecoveryEvidence
{
    public async Task<IReadOnlyList<KnownPosition>> ArchiveAsync(CancellationToken ct)
    {
        if (backups is null)
        {
            return [];
        }

        var found = new List<KnownPosition>();
        try
        {
            var catalog = await BackupCatalog.LoadAsync(backups.Storage, ct, listAll: false);
            if (catalog.Binlogs.Count > 0 && catalog.Binlogs[^1] is { LastGtid: { Length: > 0 } last } segment)
            {
                var at = DateTimeOffset.TryParse(segment.LastEvent, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
                found.Add(new KnownPosition(GtidPosition.Parse(last), at, $"the archive's stored segment {segment.Id}"));
            }
        }
        catch (OperationFailedException)
        {
            // The storage may be lost with the region; the spool below may still tell.
        }

        // The segment being streamed when the primary went away, not uploaded yet (it is uploaded when it closes).
        if (Directory.Exists(backups.ArchiveSpoolDir))
        {
            var newest = new DirectoryInfo(backups.ArchiveSpoolDir).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.StartsWith('.')).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
            if (newest is not null && Last(newest.FullName) is { } last)
            {
                found.Add(new KnownPosition(GtidPosition.Of(last.Gtid), last.Time, $"the archive's open segment {newest.Name} (spooled on this machine, not stored yet)"));
            }
        }

        return found;
    }

    public async Task<DateTimeOffset?> CommitTimeAsync(string host, Gtid gtid, CancellationToken ct)
    {
        await using var client = await connector.ConnectAsync(admin[host], ct);
        // Its relay log first (received, maybe not applied yet), then its binlog; the newest two files of each: the
        // transaction wanted is the host's latest.
        foreach (var variable in new[] { "relay_log_basename", "log_bin_basename" })
        {
            var basename = await client.ScalarAsync($"SELECT @@{variable}", ct);
            if (basename is not { Length: > 0 } || Path.GetDirectoryName(basename) is not { } dir || !Directory.Exists(dir))
            {
                continue;
            }

            var prefix = Path.GetFileName(basename) + ".";
            var files = Directory.EnumerateFiles(dir, prefix + "*")
                .Where(f => Path.GetFileName(f).Length > prefix.Length && char.IsDigit(Path.GetFileName(f)[prefix.Length]))
                .OrderDescending(StringComparer.Ordinal).Take(2);
            foreach (var file in files)
            {
                if (Events(file).LastOrDefault(e => e.Gtid == gtid) is { } found)
                {
                    return found.Time;
                }
            }
        }

        return null;
    }

    private static GtidEventAt? Last(string path) => Events(path).LastOrDefault();

    private static List<GtidEventAt> Events(string path)
    {
        try
        {
            return BinlogFile.GtidEvents(path, growing: true);
        }
        catch (Exception e) when (e is OperationFailedException or IOException)
        {
            return [];
        }
    }
}
