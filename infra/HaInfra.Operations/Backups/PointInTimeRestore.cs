using System.Diagnostics;
using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Backups;

/// <summary>A point-in-time target: a UTC time (events at or after it are not applied) or a GTID (applied up to and including it).</summary>
public sealed record RestoreTarget(DateTimeOffset? Time, Gtid? Gtid)
{
    public override string ToString() => Time is { } t ? t.ToString("u", CultureInfo.InvariantCulture) : $"GTID {Gtid}";
}

public sealed record RestoreResult(BackupManifest Base, int Segments, string Position, ScratchServer Server, TimeSpan Elapsed);

/// <summary>
/// Point-in-time restore: the newest physical backup before the target, then the archived binlogs replayed from
/// the backup's GTID up to the target. The archive must be continuous from the backup to the target; a gap or an
/// archive that ends before the target is an error, never a silently shorter restore.
/// </summary>
public sealed class PointInTimeRestore
{
    private readonly Rclone _storage;
    private readonly BackupFetcher _fetcher;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public PointInTimeRestore(Rclone storage, string identityFile, ISqlConnector connector, IStepLog log)
    {
        _storage = storage;
        _fetcher = new BackupFetcher(storage, identityFile);
        _connector = connector;
        _log = log;
    }

    /// <summary>Restores into <paramref name="dir"/> and returns the running server; the caller stops it (DisposeAsync).</summary>
    public async Task<RestoreResult> RestoreAsync(RestoreTarget target, string dir, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var catalog = await BackupCatalog.LoadAsync(_storage, ct, listAll: false);
        var baseBackup = ChooseBase(catalog, target);
        var baseGtid = baseBackup.Position.Gtids.Single();
        var segments = ArchiveCoverage.SegmentsFor(catalog, baseBackup, baseGtid.Sequence, target);
        _log.Step("plan", $"restore to {target}: {baseBackup.Kind} backup {baseBackup.Id} at GTID '{baseBackup.Gtid}', then {segments.Count} archived binlog segment(s)");

        // The segments download and decrypt while the base backup is prepared and its server starts, work that leaves
        // a core idle (during the base's own stream they would only compete with it for CPU).
        var binlogDir = Path.Combine(dir, "binlogs");
        Task<(List<string> Files, TimeSpan Elapsed)>? fetch = null;
        ScratchServer server;
        try
        {
            server = await new BackupRestorer(_fetcher, _connector, _log).RestoreAsync(
                catalog, baseBackup, dir, checkDigest: false, ct, streamed: () => fetch = FetchSegmentsAsync(segments, binlogDir, ct));
        }
        catch
        {
            if (fetch is not null)
            {
                await fetch.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            throw;
        }

        try
        {
            var position = baseBackup.Gtid!;
            var (files, fetchTime) = await (fetch ?? FetchSegmentsAsync(segments, binlogDir, ct));
            if (files.Count > 0)
            {
                _log.Step("segments", $"{files.Count} downloaded, checked and decrypted in {fetchTime.TotalSeconds:0.00} s, beside the base's prepare and start ({SizeOf(files)})");
                var step = Stopwatch.StartNew();
                var plan = ReplayPlan.Make(files, baseGtid, target);
                var planned = step.Elapsed;
                if (plan is not null)
                {
                    await RelayLogReplay.ApplyAsync(plan, server, _connector, ct);
                    await using var client = await _connector.ConnectAsync(server.Admin, ct);
                    position = await client.ScalarAsync("SELECT @@gtid_binlog_pos", ct) is { Length: > 0 } replayed ? replayed : position;
                    _log.Step("replay", $"{plan.Transactions} transaction(s) from GTID '{baseBackup.Gtid}' to '{plan.Position}' planned in {planned.TotalSeconds:0.00} s, applied as relay logs in {(step.Elapsed - planned).TotalSeconds:0.00} s");
                }
                else
                {
                    _log.Step("replay", $"no archived transaction lies between the backup's GTID '{baseBackup.Gtid}' and {target}");
                }

                Directory.Delete(binlogDir, recursive: true);
            }

            _log.Step("restored", $"to {target} at GTID '{position}' in {clock.Elapsed.TotalSeconds:0.0} s; server on {server.Paths.Socket}");
            return new RestoreResult(baseBackup, segments.Count, position, server, clock.Elapsed);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string SizeOf(List<string> files) => $"{files.Sum(f => new FileInfo(f).Length) / 1048576.0:0.0} MiB of binlog";

    private static BackupManifest ChooseBase(BackupCatalog catalog, RestoreTarget target)
    {
        var candidates = catalog.Backups.Where(b => b.IsPhysical && b.Gtid is { Length: > 0 });
        var chosen = target.Time is { } time
            ? candidates.LastOrDefault(b => b.Finished <= time)
            : candidates.LastOrDefault(b => b.Position.Gtids.Single().Domain == target.Gtid!.Value.Domain && b.Position.Gtids.Single().Sequence <= target.Gtid.Value.Sequence);
        return chosen ?? throw new OperationFailedException(
            $"no physical backup was finished before {target} (oldest: {catalog.Backups.FirstOrDefault(b => b.IsPhysical)?.Finished.ToString("u", CultureInfo.InvariantCulture) ?? "none"}).",
            "pick a later point, or restore a logical backup instead.");
    }

    private async Task<(List<string> Files, TimeSpan Elapsed)> FetchSegmentsAsync(List<BackupManifest> segments, string dir, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        // Numbered in replay order: segments of two servers, or two binlog histories of one, can share a file name.
        foreach (var (segment, i) in segments.Select((s, i) => (s, i)))
        {
            var file = Path.Combine(dir, $"{i + 1:D6}-{segment.File ?? Path.GetFileName(segment.Id)}");
            await _fetcher.FetchToFileAsync(segment, file, ct);
            files.Add(file);
        }

        return (files, clock.Elapsed);
    }
}
