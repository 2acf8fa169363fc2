using System.Diagnostics;
using System.Text.Json;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Backups;

public sealed record VerifyResult(BackupManifest Backup, int Chain, int TablesCompared, bool HadChecksums, TimeSpan Elapsed);

/// <summary>
/// Proves a backup can be restored: download, sha256 against the manifest, decrypt with the operator's key,
/// restore the chain into a scratch server, start it, and compare CHECKSUM TABLE of every table with the checksums
/// the agent took at backup time (on a held replica, at the backup's exact GTID).
/// </summary>
public sealed class BackupVerifier
{
    private readonly Rclone _storage;
    private readonly BackupFetcher _fetcher;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public BackupVerifier(Rclone storage, string identityFile, ISqlConnector connector, IStepLog log)
    {
        _storage = storage;
        _fetcher = new BackupFetcher(storage, identityFile);
        _connector = connector;
        _log = log;
    }

    /// <param name="allowUnverified">Accept a backup without a checksum reference (taken on a primary) after a restore-only check.</param>
    public async Task<VerifyResult> VerifyAsync(string? id, string workRoot, CancellationToken ct, bool allowUnverified = false)
    {
        var clock = Stopwatch.StartNew();
        var catalog = await BackupCatalog.LoadAsync(_storage, ct, listAll: false);
        foreach (var unreadable in catalog.Unreadable)
        {
            _log.Warn($"skipped {unreadable.Key}: unreadable manifest ({unreadable.Reason}); it is never used for a restore");
        }

        var backup = id is null ? catalog.Latest() : catalog.Find(id);
        var dir = Path.Combine(workRoot, $"verify-{backup.Id}");
        if (Directory.Exists(dir))
        {
            await ScratchServer.StopLeftoverAsync(dir, ct);
            Directory.Delete(dir, recursive: true);
        }

        try
        {
            var chain = backup.IsPhysical ? catalog.ChainOf(backup).Count : 1;
            await using var server = await new BackupRestorer(_fetcher, _connector, _log).RestoreAsync(catalog, backup, dir, checkDigest: true, ct);
            await using var client = await _connector.ConnectAsync(server.Admin, ct);
            if (backup.IsPhysical)
            {
                CheckRestoredPosition(backup, dir);
            }

            var reference = await _fetcher.DecryptTextAsync($"{backup.Directory}/checksums.json.age", dir, ct);
            if (reference is null && !allowUnverified)
            {
                throw new OperationFailedException(
                    $"backup {backup.Id} restores and starts, but it has no checksum reference (the agent records one only when it backs up a replica, whose applier it holds), so its contents were not verified.",
                    "verify a backup taken on a replica, or pass --allow-unverified to accept a restore-only check.");
            }

            var compared = reference is null ? 0 : await CompareChecksumsAsync(client, backup, reference, ct);
            var result = new VerifyResult(backup, chain, compared, reference is not null, clock.Elapsed);
            _log.Step("verify", reference is null
                ? $"{backup.Id} restored and started; no checksum reference was recorded (taken on the primary, or the job stopped before recording it)"
                : $"{backup.Id}: CHECKSUM TABLE of {compared} tables equal to the backup-time checksums at GTID '{backup.Gtid}' ({clock.Elapsed.TotalSeconds:0.0} s)");
            return result;
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>The restored datadir carries the backup's own position: it is the backup the manifest describes.</summary>
    private static void CheckRestoredPosition(BackupManifest backup, string dir)
    {
        var info = Path.Combine(dir, "data", "xtrabackup_binlog_info");
        var restored = File.Exists(info) ? File.ReadAllText(info).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Skip(2).FirstOrDefault() : null;
        if (restored != backup.Gtid)
        {
            throw new OperationFailedException(
                $"the restored data of {backup.Id} stands at GTID '{restored}', but its manifest says '{backup.Gtid}'.",
                "the stored object does not belong to this manifest; do not restore from it.");
        }
    }

    private static async Task<int> CompareChecksumsAsync(ISqlClient client, BackupManifest backup, string referenceJson, CancellationToken ct)
    {
        using var reference = JsonDocument.Parse(referenceJson);
        var expected = reference.RootElement.GetProperty("tables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        var restored = (await client.QueryAsync(
                "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS name FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' " +
                "AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')", ct))
            .Select(r => r.Text("name")!).ToList();
        var actual = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (expected.Count > 0)
        {
            var quoted = string.Join(", ", expected.Keys.Select(t => "`" + t.Replace(".", "`.`", StringComparison.Ordinal) + "`"));
            foreach (var row in await client.QueryAsync($"CHECKSUM TABLE {quoted}", ct))
            {
                actual[row.Text("Table")!] = row.Text("Checksum");
            }
        }

        var problems = ChecksumComparison.Problems(expected, actual, restored);
        if (problems.Count > 0)
        {
            throw new OperationFailedException(
                $"backup {backup.Id} restores, but it does not verify: {string.Join("; ", problems)}.",
                "do not rely on this backup; take a new full backup and verify it.");
        }

        return expected.Count;
    }
}
