using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>Backups on real MariaDB into a real S3 server (s3rver on 127.0.0.1), proven by real restores.</summary>
public sealed class BackupTests(BackedUpLocalServers stack) : IClassFixture<BackedUpLocalServers>
{
    private Rclone Storage => stack.Backups.Storage;

    private string Identity => stack.Backups.Identity();

    private string Work => Path.Combine(stack.StateRoot, "work");

    [MariaDbFact]
    public async Task Point_in_time_restore_gives_exactly_the_rows_committed_before_the_target()
    {
        await WriteThenBackUpAsync("full", "CREATE DATABASE IF NOT EXISTS pitr", "CREATE TABLE pitr.t (id INT PRIMARY KEY, phase VARCHAR(10))",
            "INSERT INTO pitr.t SELECT seq, 'base' FROM pitr.seq_1_to_100");
        await WriteThenBackUpAsync("incremental", "INSERT INTO pitr.t SELECT seq, 'after-full' FROM pitr.seq_101_to_150");
        await stack.ExecuteAsync("db1", "INSERT INTO pitr.t VALUES (151, 'before'), (152, 'before')");
        var lastBefore = Gtid.Parse((await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"))!);

        // Binlog event times have one-second resolution: put whole seconds between the target and both groups.
        var target = await NextSecondAsync(TimeSpan.FromSeconds(1.2));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await stack.ExecuteAsync("db1", "INSERT INTO pitr.t VALUES (153, 'after'), (154, 'after')");
        await CloseAndArchiveAsync();

        await using (var restored = (await new PointInTimeRestore(Storage, Identity, new ServerConnector(), new MemoryStepLog())
            .RestoreAsync(new RestoreTarget(target, null), Path.Combine(Work, "pitr-time"), CancellationToken.None)).Server)
        {
            Assert.Equal("base:100,after-full:50,before:2", await PhasesAsync(restored.Admin));
        }

        var byGtid = await new PointInTimeRestore(Storage, Identity, new ServerConnector(), new MemoryStepLog())
            .RestoreAsync(new RestoreTarget(null, lastBefore), Path.Combine(Work, "pitr-gtid"), CancellationToken.None);
        await using (byGtid.Server)
        {
            Assert.Equal("base:100,after-full:50,before:2", await PhasesAsync(byGtid.Server.Admin));
            Assert.Equal(lastBefore.ToString(), byGtid.Position);
            Assert.Equal("incremental", byGtid.Base.Kind);
        }

        // Exactly the base backup's own GTID, with the archive running past it: nothing to replay, and no error.
        var atBase = await new PointInTimeRestore(Storage, Identity, new ServerConnector(), new MemoryStepLog())
            .RestoreAsync(new RestoreTarget(null, Gtid.Parse(byGtid.Base.Gtid!)), Path.Combine(Work, "pitr-base"), CancellationToken.None);
        await using (atBase.Server)
        {
            Assert.Equal("base:100,after-full:50", await PhasesAsync(atBase.Server.Admin));
            Assert.Equal(byGtid.Base.Gtid, atBase.Position);
        }
    }

    [MariaDbFact]
    public async Task A_restore_to_a_time_with_no_write_since_the_last_backup_replays_nothing_and_succeeds()
    {
        await WriteThenBackUpAsync("full", "CREATE DATABASE IF NOT EXISTS idle", "CREATE OR REPLACE TABLE idle.t (id INT PRIMARY KEY)",
            "INSERT INTO idle.t SELECT seq FROM idle.seq_1_to_10");
        // The file ending with the backup's transaction closed before the target (as a flush by the backup may close
        // it): only the empty file after it, still open at the target, shows that nothing was written before it.
        await stack.ExecuteAsync("db1", "FLUSH BINARY LOGS");
        var target = await NextSecondAsync(TimeSpan.FromSeconds(1.2));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await CloseAndArchiveAsync();

        var restored = await new PointInTimeRestore(Storage, Identity, new ServerConnector(), new MemoryStepLog())
            .RestoreAsync(new RestoreTarget(target, null), Path.Combine(Work, "pitr-idle"), CancellationToken.None);
        await using (restored.Server)
        {
            Assert.Equal(restored.Base.Gtid, restored.Position);
            await using var client = await new ServerConnector().ConnectAsync(restored.Server.Admin);
            Assert.Equal("10", await client.ScalarAsync("SELECT COUNT(*) FROM idle.t"));
        }
    }

    [MariaDbFact]
    public async Task Verify_latest_restores_and_matches_the_backup_time_checksums()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS verified", "CREATE TABLE IF NOT EXISTS verified.t (id INT PRIMARY KEY, v TEXT)",
            "REPLACE INTO verified.t SELECT seq, REPEAT('x', seq) FROM verified.seq_1_to_500");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        var dir = await stack.Backups.RunAsync("full", CancellationToken.None);

        var result = await new BackupVerifier(Storage, Identity, new ServerConnector(), new MemoryStepLog()).VerifyAsync(null, Work, CancellationToken.None);

        Assert.Equal(dir, result.Backup.Directory);
        Assert.Equal("db2", result.Backup.Host);
        Assert.True(result.HadChecksums);
        Assert.True(result.TablesCompared >= 2, $"compared {result.TablesCompared} tables");
    }

    [MariaDbFact]
    public async Task A_flipped_byte_fails_verify_with_the_sha256()
    {
        var backup = await FreshFullAsync();
        await ReplaceDataAsync(backup, bytes => bytes[bytes.Length / 2] ^= 0x01);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => VerifyAsync(backup.Id));
        Assert.Contains("has sha256", error.Problem);
        Assert.Contains("changed after the backup was written", error.Problem);
    }

    [MariaDbFact]
    public async Task A_backup_without_a_checksum_reference_is_unverified_unless_allowed()
    {
        var backup = await FreshFullAsync();
        await Storage.DeleteAsync($"{backup.Directory}/checksums.json.age", CancellationToken.None);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => VerifyAsync(backup.Id));
        Assert.Contains("has no checksum reference", error.Problem);
        Assert.Contains("--allow-unverified", error.Fix);

        var allowed = await new BackupVerifier(Storage, Identity, new ServerConnector(), new MemoryStepLog()).VerifyAsync(backup.Id, Work, CancellationToken.None, allowUnverified: true);
        Assert.False(allowed.HadChecksums);
        Assert.Equal(0, allowed.TablesCompared);
    }

    [MariaDbFact]
    public async Task A_restore_from_an_altered_object_fails_and_names_the_cause()
    {
        var backup = await FreshFullAsync();
        await ReplaceDataAsync(backup, bytes => bytes[bytes.Length / 3] ^= 0x40);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            new PointInTimeRestore(Storage, Identity, new ServerConnector(), new MemoryStepLog())
                .RestoreAsync(new RestoreTarget(null, backup.Position.Gtids[0]), Path.Combine(Work, "altered"), CancellationToken.None));
        Assert.Contains("changed after the backup was written", error.Problem);
    }

    [MariaDbFact]
    public async Task A_truncated_object_fails_verify()
    {
        var backup = await FreshFullAsync();
        await ReplaceDataAsync(backup, _ => { }, truncate: 4096);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => VerifyAsync(backup.Id));
        Assert.Contains("truncated", error.Problem);
    }

    [MariaDbFact]
    public async Task A_corrupt_manifest_is_listed_as_unreadable_skipped_by_verify_latest_and_never_pruned()
    {
        var older = await FreshFullAsync();
        var newer = await FreshFullAsync();
        var original = await Storage.ReadTextAsync(newer.Key, CancellationToken.None);
        var corrupt = Path.Combine(stack.StateRoot, "corrupt-manifest.json");
        await File.WriteAllTextAsync(corrupt, original[..(original.Length / 2)]);
        await Storage.UploadAsync(corrupt, newer.Key, CancellationToken.None);
        try
        {
            var catalog = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
            var unreadable = Assert.Single(catalog.Unreadable);
            Assert.Equal(newer.Key, unreadable.Key);
            Assert.DoesNotContain(catalog.Backups, b => b.Id == newer.Id);
            Assert.Contains(catalog.Backups, b => b.Id == older.Id);
            Assert.DoesNotContain(catalog.Unfinished, o => o.Key == newer.DataKey);
            Assert.DoesNotContain(RetentionPlan.Plan(catalog, stack.Topology.Backup.Retention, DateTimeOffset.UtcNow.AddYears(1)).SelectMany(d => d.Keys),
                k => k.StartsWith(newer.Directory, StringComparison.Ordinal));

            var log = new MemoryStepLog();
            var verified = await new BackupVerifier(Storage, Identity, new ServerConnector(), log).VerifyAsync(null, Work, CancellationToken.None);
            Assert.Equal(older.Id, verified.Backup.Id);
            Assert.Contains(log.Lines, l => l.Contains($"skipped {newer.Key}: unreadable manifest", StringComparison.Ordinal));
        }
        finally
        {
            await File.WriteAllTextAsync(corrupt, original);
            await Storage.UploadAsync(corrupt, newer.Key, CancellationToken.None);
        }
    }

    [MariaDbFact]
    public async Task A_backup_whose_checksums_cannot_be_recorded_gets_no_manifest()
    {
        var before = (await BackupCatalog.LoadAsync(Storage, CancellationToken.None)).Backups.Count;

        // The checksum document is built by jq: a jq that fails makes exactly that step fail, after the data upload.
        var tools = Path.Combine(stack.StateRoot, "failing-jq");
        Directory.CreateDirectory(tools);
        var jq = Path.Combine(tools, "jq");
        await File.WriteAllTextAsync(jq, "#!/bin/sh\necho 'jq: injected failure' >&2\nexit 3\n");
        File.SetUnixFileMode(jq, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var (exit, _, stderr) = await stack.Backups.RunScriptAsync("full",
            new Dictionary<string, string> { ["PATH"] = $"{tools}:{Environment.GetEnvironmentVariable("PATH")}" }, CancellationToken.None);

        Assert.NotEqual(0, exit);
        Assert.Contains("could not record the checksums", stderr);
        Assert.Contains("no manifest was written, it does not count as a backup", stderr);
        var after = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
        Assert.Equal(before, after.Backups.Count);
        Assert.Equal("Yes", await SlaveSqlRunning("db2")); // the agent released the replica it held
    }

    [MariaDbFact]
    public async Task A_missing_chain_link_fails_verify()
    {
        var full = await FreshFullAsync();
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS link", "CREATE TABLE IF NOT EXISTS link.t (id INT PRIMARY KEY)", "REPLACE INTO link.t VALUES (1)");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        var incrementalDir = await stack.Backups.RunAsync("incremental", CancellationToken.None);
        await Storage.DeleteAsync(full.Key, CancellationToken.None);
        await Storage.DeleteAsync(full.DataKey, CancellationToken.None);
        var incremental = (await BackupCatalog.LoadAsync(Storage, CancellationToken.None)).Backups.Single(b => b.Directory == incrementalDir);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => VerifyAsync(incremental.Id));
        Assert.Contains("missing chain link", error.Problem);
        Assert.Contains(full.Id, error.Problem);
    }

    [MariaDbFact]
    public async Task A_wrong_key_fails_verify_naming_the_recipients()
    {
        var backup = await FreshFullAsync();
        var wrongKey = Path.Combine(stack.StateRoot, "wrong-identity.txt");
        Assert.Equal(0, ServerBinaries.Run("age-keygen", "-o", wrongKey).ExitCode);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            new BackupVerifier(Storage, wrongKey, new ServerConnector(), new MemoryStepLog()).VerifyAsync(backup.Id, Work, CancellationToken.None));
        Assert.Contains("is not one of its recipients", error.Problem);
        Assert.Contains(BackedUpLocalServers.ForeignRecipient, error.Problem);
    }

    [MariaDbFact]
    public async Task An_upload_that_dies_midway_leaves_no_manifest()
    {
        var before = (await BackupCatalog.LoadAsync(Storage, CancellationToken.None)).Backups.Count;

        // rclone's own transfer limit cuts the upload off after 100 KiB, as a lost connection would.
        var (exit, _, stderr) = await stack.Backups.RunScriptAsync("full",
            new Dictionary<string, string> { ["HAINFRA_BACKUP_RCLONE_FLAGS"] = "--max-transfer=100K --cutoff-mode=hard" }, CancellationToken.None);

        Assert.NotEqual(0, exit);
        Assert.Contains("no manifest was written", stderr);
        Assert.Matches(@"backup stream failed \(mariabackup exit \d+; storing \S+ failed: .*rclone [1-9]", stderr);   // the failing stage is named
        var after = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
        Assert.Equal(before, after.Backups.Count);
        Assert.Equal("Yes", await SlaveSqlRunning("db2")); // the agent released the replica it held
    }

    [MariaDbFact]
    public async Task An_agent_killed_while_it_holds_the_replica_leaves_no_backup_and_no_stopped_applier()
    {
        var before = (await BackupCatalog.LoadAsync(Storage, CancellationToken.None)).Backups.Count;

        // Killed (SIGKILL, no EXIT trap) right after its data upload, while it holds db2's applier; the run is
        // followed by release-held, as the unit's ExecStopPost follows it on a host.
        var (exit, _, stderr) = await stack.Backups.RunScriptAsync("full",
            new Dictionary<string, string> { ["HAINFRA_DRILL_KILL_AFTER_STEP"] = "stream" }, CancellationToken.None);

        Assert.Equal(137, exit);
        Assert.Equal(["hold", "stream"], LocalAgentScript.Steps("full", stderr).Select(s => s.Name));
        Assert.Contains("restarted the replica's applier, held by an interrupted run", stderr);
        Assert.Contains("the work directory of an interrupted run", stderr);
        Assert.Equal("Yes", await SlaveSqlRunning("db2"));
        var after = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
        Assert.Equal(before, after.Backups.Count);
        Assert.NotEmpty(after.Unfinished);   // the killed run's upload: never listed as a backup, pruned after a day

        // The next run has nothing left to recover, and completes.
        var next = await stack.Backups.RunScriptAsync("full", null, CancellationToken.None);
        Assert.Equal(0, next.ExitCode);
        Assert.DoesNotContain("interrupted run", next.Stderr);
        Assert.Equal(["hold", "stream", "checksum", "manifest", "release"], LocalAgentScript.Steps("full", next.Stderr).Select(s => s.Name).Take(5));
    }

    [MariaDbFact]
    public async Task Prune_removes_only_what_retention_allows_and_keeps_chains_whole()
    {
        var retention = new HaInfra.Model.Backups.BackupRetention(FullDays: 30, IncrementalDays: 7, LogicalDays: 14, BinlogDays: 7);
        var old = await FreshFullAsync();
        var oldIncrementalDir = await stack.Backups.RunAsync("incremental", CancellationToken.None);
        var newest = await FreshFullAsync();
        var later = DateTimeOffset.UtcNow.AddDays(40);
        var pruner = new BackupPruner(Storage, new MemoryStepLog());

        var plan = await pruner.PruneAsync(retention, later, force: false, CancellationToken.None);
        var untouched = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
        Assert.Contains(plan, d => d.What == old.Id);
        Assert.Contains(untouched.Backups, b => b.Id == old.Id);

        await pruner.PruneAsync(retention, later, force: true, CancellationToken.None);

        var remaining = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
        Assert.DoesNotContain(remaining.Backups, b => b.Id == old.Id || b.Directory == oldIncrementalDir);
        Assert.Contains(remaining.Backups, b => b.Id == newest.Id);
        Assert.DoesNotContain(old.DataKey, remaining.Keys);
        Assert.All(remaining.Backups.Where(b => b.Kind == "incremental"), b => remaining.ChainOf(b));
    }

    private Task<VerifyResult> VerifyAsync(string id) =>
        new BackupVerifier(Storage, Identity, new ServerConnector(), new MemoryStepLog()).VerifyAsync(id, Work, CancellationToken.None);

    [MariaDbFact]
    public async Task The_cloud_backup_verbs_read_an_aws_stacks_bucket_from_its_outputs_with_the_operators_credentials()
    {
        var backup = await FreshFullAsync();
        var outputs = Path.Combine(stack.StateRoot, "prod-outputs.json");
        await File.WriteAllTextAsync(outputs, """{"buckets": {"backup": "backups", "offsite": "backups-dr"}}""");
        var endpoint = stack.Backups.Remote.Rclone.Single(s => s.Key == "ENDPOINT").Value;
        var operatorEnvironment = new Dictionary<string, string?>
        {
            ["HAINFRA_S3_ENDPOINT"] = endpoint, ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
        };

        var list = CliTests.RunWith(operatorEnvironment, "backup", "list", "--stack", "prod", "--outputs", outputs);
        Assert.True(list.Exit == 0, list.Stderr);
        Assert.Contains(backup.Id, list.Stdout);

        var verify = CliTests.RunWith(operatorEnvironment, "backup", "verify", "--latest", "--stack", "prod", "--outputs", outputs,
            "--identity", Identity, "--work-dir", Path.Combine(Work, "cloud-verify"));
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.Contains($"backup {backup.Id} verified", verify.Stdout);
        Assert.Contains("within the 60 min objective", verify.Stdout);

        // Without credentials the same call reaches the bucket and is refused: the verbs use the operator's, nothing built in.
        var anonymous = CliTests.RunWith(new Dictionary<string, string?> { ["HAINFRA_S3_ENDPOINT"] = endpoint, ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = "wrong" },
            "backup", "list", "--stack", "prod", "--outputs", outputs);
        Assert.True(anonymous.Exit == 1, $"exit {anonymous.Exit}: {anonymous.Stderr}");
        Assert.Contains("error:", anonymous.Stderr);
    }

    [MariaDbFact]
    public async Task The_backup_hosts_storage_requests_are_all_allowed_by_its_synthesized_cloud_role()
    {
        var log = stack.Backups.StorageRequestLog;
        var before = File.ReadAllLines(log).Length;
        await stack.Backups.RunAsync("full", CancellationToken.None);
        await stack.Backups.RunAsync("incremental", CancellationToken.None);
        await stack.Backups.RunAsync("logical", CancellationToken.None);
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS permissions", "FLUSH BINARY LOGS");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.ReadLines(log).Skip(before).Any(l => l.StartsWith("PUT /backups/binlog/db2/", StringComparison.Ordinal) && l.EndsWith("/manifest.json", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no binlog segment was archived within 30 s");
            await stack.Backups.RunAsync("binlog-upload", CancellationToken.None);
            await Task.Delay(250);
        }

        // Every request in between came from the agent on db2: no operator verb ran (the tests of this class run one at a time).
        // Its copies into the local offsite bucket stand for the cloud's bucket replication, which the host's role does not do.
        var lines = File.ReadAllLines(log).Skip(before).ToList();
        static bool Offsite(string line) => line[(line.IndexOf(' ') + 1)..].StartsWith($"/{Operations.Local.LocalStorage.OffsiteBucket}", StringComparison.Ordinal);
        Assert.Contains(lines, Offsite);
        var requests = lines.Where(l => !Offsite(l)).Select(l => S3Request.Parse(l, stack.Backups.Remote.Bucket)).ToList();
        Assert.Contains(requests, r => r.Query.ContainsKey("partNumber"));   // streamed multipart uploads were made
        var policy = HostStoragePolicy.Of(stack.Topology, "db2");
        var refused = requests.Select(policy.Refusal).OfType<string>().Distinct().ToList();
        Assert.True(refused.Count == 0, $"{refused.Count} kind(s) of request the host's role would refuse:\n{string.Join("\n", refused)}");
    }

    [Fact]
    public void The_cloud_backup_verbs_report_every_input_problem_at_once_with_exit_2()
    {
        var outputs = Path.Combine(stack.StateRoot, "empty-outputs.json");
        File.WriteAllText(outputs, "{}");

        var (exit, stdout, stderr) = CliTests.RunWith(new Dictionary<string, string?> { ["HAINFRA_S3_ENDPOINT"] = "not a url" },
            "backup", "list", "--stack", "local", "--outputs", outputs);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("3 problem(s)", stderr);
        Assert.Contains("hainfra:backup.enabled = false", stderr);
        Assert.Contains("buckets.backup is missing", stderr);
        Assert.Contains("$HAINFRA_S3_ENDPOINT = 'not a url'", stderr);
    }

    private async Task<BackupManifest> FreshFullAsync()
    {
        var dir = await stack.Backups.RunAsync("full", CancellationToken.None);
        return (await BackupCatalog.LoadAsync(Storage, CancellationToken.None)).Backups.Single(b => b.Directory == dir);
    }

    private async Task ReplaceDataAsync(BackupManifest backup, Action<byte[]> change, int truncate = 0)
    {
        var file = Path.Combine(stack.StateRoot, $"tamper-{backup.Id}");
        await Storage.DownloadAsync(backup.DataKey, file, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(file);
        change(bytes);
        await File.WriteAllBytesAsync(file, truncate > 0 ? bytes[..^truncate] : bytes);
        await Storage.UploadAsync(file, backup.DataKey, CancellationToken.None);
    }

    /// <summary>The statements on the primary, db2 (the backup host) caught up, then one backup of <paramref name="kind"/>.</summary>
    private async Task WriteThenBackUpAsync(string kind, params string[] statements)
    {
        await stack.ExecuteAsync("db1", statements);
        await SeedHelpers.CatchUpAsync(stack, "db2");
        await stack.Backups.RunAsync(kind, CancellationToken.None);
    }

    private async Task CloseAndArchiveAsync()
    {
        var last = Gtid.Parse((await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"))!).Sequence;
        await stack.ExecuteAsync("db1", "FLUSH BINARY LOGS");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await stack.Backups.RunAsync("binlog-upload", CancellationToken.None);
            var catalog = await BackupCatalog.LoadAsync(Storage, CancellationToken.None);
            if (catalog.Binlogs.Any(s => BackupCatalog.LastSequence(s) >= last))
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                var log = Path.Combine(stack.StateRoot, "local", "agent", "binlog-archive.log");
                var local = Directory.GetFiles(Path.Combine(stack.StateRoot, "local", "hosts", "db2", "backup", "state", "binlogs", "db1"), "*", SearchOption.AllDirectories);
                await using var primary = await stack.ConnectAsync("db1");
                var logs = string.Join(", ", (await primary.QueryAsync("SHOW BINARY LOGS")).Select(r => $"{r.Text("Log_name")}:{r.Text("File_size")}"));
                Assert.Fail($"the binlog archive did not upload the segment holding sequence {last}. Primary binlogs: {logs}. Segments: " +
                    $"{string.Join(", ", catalog.Binlogs.Select(b => $"{b.File} {b.FirstGtid}..{b.LastGtid}"))}; local files: {string.Join(", ", local.Select(Path.GetFileName))}; " +
                    $"archive log:\n{(File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(20)) : "(none)")}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<string> PhasesAsync(SqlEndpoint server)
    {
        await using var client = await new ServerConnector().ConnectAsync(server);
        var rows = await client.QueryAsync("SELECT phase, COUNT(*) AS n FROM pitr.t GROUP BY phase ORDER BY MIN(id)");
        return string.Join(",", rows.Select(r => $"{r.Text("phase")}:{r.Text("n")}"));
    }

    private async Task<string?> SlaveSqlRunning(string host)
    {
        await using var client = await stack.ConnectAsync(host);
        return (await client.QuerySingleAsync("SHOW SLAVE STATUS"))?.Text("Slave_SQL_Running");
    }

    /// <summary>Waits past the next whole second plus a margin; returns that whole second (UTC).</summary>
    private static async Task<DateTimeOffset> NextSecondAsync(TimeSpan margin)
    {
        var now = DateTimeOffset.UtcNow;
        var target = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).Add(margin).AddSeconds(1);
        target = new DateTimeOffset(target.Year, target.Month, target.Day, target.Hour, target.Minute, target.Second, TimeSpan.Zero);
        await Task.Delay(target - now);
        return target;
    }
}

/// <summary>Backups run on their schedule, from the replica, into the local S3 server.</summary>
public sealed class ScheduledBackupTests(ScheduledBackupServers stack) : IClassFixture<ScheduledBackupServers>
{
    [MariaDbFact]
    public async Task The_scheduler_runs_full_backups_from_the_replica_on_the_calendar()
    {
        var storage = stack.Target.Backups()!.Storage;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        BackupCatalog catalog;
        do
        {
            await Task.Delay(1000);
            catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None);
        }
        while (catalog.Backups.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(catalog.Backups.Count >= 2, $"expected two scheduled backups within a minute, found {catalog.Backups.Count}");
        Assert.All(catalog.Backups, b => Assert.Equal(("full", "db2"), (b.Kind, b.Host)));
        var seconds = catalog.Backups.Select(b => b.Started.Second % 10).ToList();
        Assert.All(seconds, s => Assert.InRange(s, 0, 2));
    }
}
