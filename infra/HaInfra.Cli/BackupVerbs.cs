using System.CommandLine;
using HaInfra.Model.Backups;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Sql;

namespace HaInfra.Cli;

/// <summary>
/// The operator's backup verbs (list, verify, restore, prune), shared by `local backup …` and the cloud `backup …`:
/// only where the storage is and which identity decrypts differ between them.
/// </summary>
public static class BackupVerbs
{
    public static Option<bool> AllowUnverified() => new("--allow-unverified")
    {
        Description = "Accept a backup that has no checksum reference (taken on a primary) after a restore-only check; without it such a backup fails verification",
    };

    public static Option<string?> Identity() => new("--identity")
    {
        Description = "age identity file (private key) to decrypt with",
    };

    public static Option<string?> ToTime() => new("--to-time") { Description = "UTC time, e.g. 2026-11-21T13:00:00Z: transactions committed before it" };

    public static Option<string?> ToGtid() => new("--to-gtid") { Description = "GTID, e.g. 0-602955-120: transactions up to and including it" };

    public static Option<bool> KeepRunning() => new("--keep-running") { Description = "Leave the restored server running (socket only) instead of stopping it" };

    public static Option<bool> Force() => new("--force") { Description = "Delete what retention allows (without it, only show it)" };

    public static async Task<int> ListAsync(Rclone storage, CancellationToken ct, (string Host, HaInfra.Model.Gtids.GtidPosition Position)? primary = null)
    {
        BackupTable.Write(await BackupCatalog.LoadAsync(storage, ct), DateTimeOffset.UtcNow, primary);
        return ExitCodes.Ok;
    }

    public static async Task<int> VerifyAsync(Rclone storage, string identity, BackupObjectives objectives, string? id, string workDir, bool allowUnverified, CancellationToken ct)
    {
        var verifier = new BackupVerifier(storage, identity, new ServerConnector(), new ConsoleStepLog());
        VerifyResult result;
        try
        {
            result = await verifier.VerifyAsync(id, workDir, ct, allowUnverified);
        }
        catch (OperationFailedException)
        {
            // The failure is recorded for the alerts (HaInfraRestoreVerifyFailed), then reported as usual.
            await VerifyStatus.RecordAsync(storage, success: false, id ?? "latest", DateTimeOffset.UtcNow, ct);
            throw;
        }

        // An unverified restore (no checksum reference) proves less: it is not recorded as a verification.
        if (result.HadChecksums)
        {
            await VerifyStatus.RecordAsync(storage, success: true, result.Backup.Id, DateTimeOffset.UtcNow, ct);
        }

        Console.Out.WriteLine($"backup {result.Backup.Id} verified in {result.Elapsed.TotalSeconds:0.0} s" +
            (result.HadChecksums ? $": {result.TablesCompared} tables match the checksums taken at backup time." : " UNVERIFIED: restore only, no checksum reference (--allow-unverified)."));
        Console.Out.WriteLine(RecoveryTimeCheck.Describe(result.Elapsed, objectives).Line);
        return ExitCodes.Ok;
    }

    public static async Task<int> RestoreAsync(
        Rclone storage, string identity, BackupObjectives objectives, RestoreTarget target, string dir, bool keepRunning, CancellationToken ct)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new InvalidInputException($"error: --into {dir}: the directory is not empty. Fix: name a new or empty directory; a restore never overwrites data.");
        }

        var result = await new PointInTimeRestore(storage, identity, new ServerConnector(), new ConsoleStepLog()).RestoreAsync(target, dir, ct);
        await InterruptedRestores.MarkDoneAsync(dir, $"restored to {target} at GTID '{result.Position}' at {DateTimeOffset.UtcNow:u}", ct);
        Console.Out.WriteLine(RecoveryTimeCheck.Describe(result.Elapsed, objectives).Line);
        if (keepRunning)
        {
            Console.Out.WriteLine($"restored to {target} at GTID '{result.Position}'; the server runs on {result.Server.Paths.Socket} (stop it with: kill $(cat {result.Server.Paths.PidFile})).");
        }
        else
        {
            var stop = System.Diagnostics.Stopwatch.StartNew();
            await result.Server.DisposeAsync();
            Console.Out.WriteLine($"restored to {target} at GTID '{result.Position}' in {dir}/data (stopped in {stop.Elapsed.TotalSeconds:0.00} s; start it with mariadbd --defaults-file={result.Server.Paths.LocalCnf}).");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> PruneAsync(Rclone storage, BackupRetention retention, bool force, CancellationToken ct)
    {
        await new BackupPruner(storage, new ConsoleStepLog()).PruneAsync(retention, DateTimeOffset.UtcNow, force, ct);
        return ExitCodes.Ok;
    }

    public static RestoreTarget ParseTarget(string? time, string? gtid)
    {
        if ((time is null) == (gtid is null))
        {
            throw new InvalidInputException("error: give exactly one of --to-time and --to-gtid. Fix: e.g. --to-time 2026-11-21T13:00:00Z or --to-gtid 0-602955-120.");
        }

        if (time is not null)
        {
            return DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                ? new RestoreTarget(t.ToUniversalTime(), null)
                : throw new InvalidInputException($"error: --to-time = '{time}': not a time. Fix: write an ISO-8601 UTC time such as 2026-11-21T13:00:00Z.");
        }

        return HaInfra.Model.Gtids.Gtid.TryParse(gtid, out var g)
            ? new RestoreTarget(null, g)
            : throw new InvalidInputException($"error: --to-gtid = '{gtid}': not a GTID. Fix: write domain-server-sequence, e.g. 0-602955-120.");
    }
}
