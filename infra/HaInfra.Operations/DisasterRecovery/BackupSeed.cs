using System.Diagnostics;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.DisasterRecovery;

/// <summary>What a host was rebuilt from: the backup, the GTID its data stands at, where the prepared datadir is.</summary>
public sealed record BackupSeedResult(BackupManifest Backup, GtidPosition Position, string DataDir, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Seeds a datadir from a backup copy instead of a WAN clone of the primary: the newest full backup and its
/// incrementals that lie on the live primary's history (a backup of a lost term's tail would fork the host) and that
/// the primary's binlogs still reach (the host catches up from it by GTID). One that fails to stream, decrypt or
/// prepare is reported and the next older chain is tried. The prepared datadir is left with the
/// backup's GTID as its replication position and the primary's history up to it as its binlog state, like a seed.
/// </summary>
public sealed class BackupSeed
{
    private readonly BackupRestorer _restorer;
    private readonly IStepLog _log;

    public BackupSeed(Rclone storage, string identityFile, ISqlConnector connector, IStepLog log)
    {
        _restorer = new BackupRestorer(new BackupFetcher(storage, identityFile), connector, log);
        _log = log;
    }

    /// <summary>
    /// On the started host, before it replicates: the backup's GTID as its replication position, and the primary's
    /// history up to it as its binlog state (a comparison of binlog states then sees what its data holds).
    /// </summary>
    public static async Task SetPositionAsync(ISqlClient host, ISqlConnector connector, SqlEndpoint endpoint, GtidPosition position, GtidPosition primaryState, CancellationToken ct)
    {
        await host.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", position.ToString())), ct);
        await BinlogReset.ToStateAsync(host, connector, endpoint, primaryState.StateAt(position).ToString(), ct);
    }

    /// <summary>The physical backups a host may be rebuilt from, newest first, and why the others may not.</summary>
    public static (List<BackupManifest> Usable, List<string> SetAside) Candidates(BackupCatalog catalog, GtidPosition primaryState, GtidPosition primaryOldestBinlog)
    {
        var usable = new List<BackupManifest>();
        var aside = new List<string>();
        foreach (var backup in catalog.Backups.Where(b => b.IsPhysical && b.Gtid is { Length: > 0 }).Reverse())
        {
            var position = backup.Position;
            if (!position.NotIn(primaryState).IsEmpty)
            {
                aside.Add($"{backup.Id} ('{position}'): not on the live primary's history (taken from a lost term's tail)");
            }
            else if (!position.Contains(primaryOldestBinlog))
            {
                aside.Add($"{backup.Id} ('{position}'): older than the primary's oldest binlog ('{primaryOldestBinlog}'), so it could not catch up");
            }
            else
            {
                usable.Add(backup);
            }
        }

        return (usable, aside);
    }

    /// <summary>Restores the first candidate that restores into <paramref name="workDir"/>/data and returns it, stopped.</summary>
    public async Task<BackupSeedResult> RestoreAsync(
        string host, BackupCatalog catalog, IReadOnlyList<BackupManifest> candidates, GtidPosition primaryState, string workDir, string copyName, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var backup in candidates)
        {
            var clock = Stopwatch.StartNew();
            await ScratchServer.StopLeftoverAsync(workDir, ct);
            if (Directory.Exists(workDir))
            {
                Directory.Delete(workDir, recursive: true);
            }

            Directory.CreateDirectory(workDir);
            string data;
            try
            {
                // Prepared, not started here: the host starts once, on its own configuration, where its position is set.
                // No sha256 pass-through: age authenticates every chunk it decrypts (a changed byte fails the stream),
                // and the rebuilt host is compared with the primary by checksums at the end, which a wrong but intact
                // object cannot pass.
                data = await _restorer.PrepareDataAsync(catalog, backup, workDir, checkDigest: false, ct);
            }
            catch (OperationFailedException e)
            {
                failures.Add($"{backup.Id}: {e.Problem}");
                _log.Warn($"{host}: backup {backup.Id} from the {copyName} cannot be restored ({e.Problem}); falling back to the previous chain");
                continue;
            }

            var chain = catalog.ChainOf(backup);
            var bytes = chain.Sum(b => b.RawBytes);
            _log.Step("restore", $"{host}: {backup.Id} (a chain of {chain.Count}) from the {copyName}: {bytes / 1048576.0:0.0} MiB of backup streams " +
                $"({chain.Sum(b => b.StoredBytes) / 1048576.0:0.0} MiB stored) restored and prepared in {clock.Elapsed.TotalSeconds:0.0} s, at GTID '{backup.Position}'");
            return new BackupSeedResult(backup, backup.Position, data, bytes, clock.Elapsed);
        }

        throw new OperationFailedException(
            failures.Count == 0
                ? $"the {copyName} holds no physical backup {host} can be rebuilt from."
                : $"no backup of the {copyName} could be restored for {host}:\n    {string.Join("\n    ", failures)}",
            "take a full backup (local backup run full) and let it reach that copy, or rebuild from the other copy.");
    }
}
