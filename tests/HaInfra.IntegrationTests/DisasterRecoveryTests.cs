using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Model.Gtids;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.DisasterRecovery;
using HaInfra.Operations.Logging;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The local stack (db1 primary, db2 same-city, db3 on the remote site dr) with the binlog archive on and a 9 s RPO.</summary>
public sealed class ArchivedLocalServers() : LocalStackFixture("local")
{
    public const int RpoSeconds = 9;

    protected override Topology Adjust(Topology topology) => topology with
    {
        Backup = topology.Backup with
        {
            Enabled = true, Destination = BackupDestination.S3, BinlogArchive = true, Recipients = [BackedUpLocalServers.ForeignRecipient],
            Objectives = new BackupObjectives(RpoSeconds, 60),
        },
    };
}

public sealed class DisasterRecoveryTests(ArchivedLocalServers stack) : IClassFixture<ArchivedLocalServers>
{
    private static readonly Func<string, CancellationToken, Task<bool>> Yes = (_, _) => Task.FromResult(true);

    [MariaDbFact]
    public async Task Promotion_is_refused_while_the_primary_region_answers_and_nothing_changes()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        var term = stack.Target.Terms.Read().Current;

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => stack.NewTarget(stack.Topology).DrPromoteAsync("dr", null, Yes, null));

        Assert.Contains("the primary region is not lost", error.Problem);
        Assert.Contains("--force", error.Fix);
        Assert.Equal(term, stack.Target.Terms.Read().Current);
        Assert.Equal("1", await stack.ScalarAsync("db3", "SELECT @@read_only"));
        Assert.Equal("0", await stack.ScalarAsync(stack.Target.Topology.Primary.Name, "SELECT @@read_only"));
    }

    [MariaDbFact]
    public async Task A_region_loss_promotion_states_the_transactions_lost_and_the_lost_region_returns_as_replicas_then_goes_home()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        var primary = stack.Target.Topology.Primary.Name;
        Assert.Equal("db1", primary);
        await stack.ExecuteAsync(primary, "CREATE DATABASE IF NOT EXISTS dr_probe", "CREATE TABLE IF NOT EXISTS dr_probe.t (id INT PRIMARY KEY)", "DELETE FROM dr_probe.t");
        var shared = await stack.ScalarAsync(primary, "SELECT @@gtid_binlog_pos");
        Assert.Equal("0", await stack.ScalarAsync("db3", $"SELECT MASTER_GTID_WAIT('{shared}', 30)"));

        // The DR site stops receiving; the primary region commits seven more transactions, which the archive streams.
        const int Lost = 7;
        await stack.ExecuteAsync("db3", "STOP SLAVE IO_THREAD");
        for (var id = 1; id <= Lost; id++)
        {
            await stack.ExecuteAsync(primary, $"INSERT INTO dr_probe.t VALUES ({id})");
        }

        var committed = GtidPosition.Parse(await stack.ScalarAsync(primary, "SELECT @@gtid_binlog_pos"));
        await WaitForArchiveAsync(committed);
        stack.Crash("db1");
        stack.Crash("db2");

        var log = new MemoryStepLog();
        var result = await stack.NewTarget(stack.Topology, log).DrPromoteAsync("dr", null, Yes, null);

        Assert.Equal("db3", result.Term.Primary);
        Assert.Equal(DrPromotion.TermKind, result.Term.Kind);
        Assert.Equal(Lost, result.Risk.Transactions);
        Assert.NotNull(result.Risk.Seconds);
        Assert.InRange(result.Risk.Seconds!.Value, 0, 5);
        Assert.True(result.Rto > TimeSpan.Zero && result.Rto < TimeSpan.FromSeconds(10), $"RTO {result.Rto}");
        Assert.Contains(log.Lines, l => l.StartsWith("write: a row written through", StringComparison.Ordinal) && l.Contains("landed on db3", StringComparison.Ordinal));
        Assert.Equal("0", await stack.ScalarAsync("db3", "SELECT @@read_only"));
        Assert.Equal("0", await stack.ScalarAsync("db3", "SELECT COUNT(*) FROM dr_probe.t"));

        // The lost region comes back: both servers hold the lost term's tail; they are rewound (saved first) and
        // follow db3, read-only, asynchronously (a primary never waits across the WAN).
        var before = Directory.Exists(stack.Target.Paths.RejoinDir) ? Directory.GetDirectories(stack.Target.Paths.RejoinDir) : [];
        var up = new MemoryStepLog();
        await stack.NewTarget(stack.Topology, up).UpAsync();
        Assert.Equal("db3", stack.Target.Topology.Primary.Name);
        foreach (var host in new[] { "db1", "db2" })
        {
            Assert.Equal("1", await stack.ScalarAsync(host, "SELECT @@read_only"));
            Assert.Equal("0", await stack.ScalarAsync(host, "SELECT COUNT(*) FROM dr_probe.t"));
            Assert.Equal("OFF", await stack.ScalarAsync(host, "SELECT IF(@@rpl_semi_sync_slave_enabled, 'ON', 'OFF')"));
            var saved = Directory.GetDirectories(stack.Target.Paths.RejoinDir, $"{host}-*").Except(before).Single();
            Assert.True(File.Exists(Path.Combine(saved, "tail.sql")) || File.Exists(Path.Combine(saved, "binlogs.sql")), $"nothing saved in {saved}");
        }

        Assert.Equal("db3", await stack.Target.Endpoint(Operations.Local.LocalState.Load(stack.Target.Paths)!).WriterAsync(CancellationToken.None));

        // What the archive stored until now, db1's last transaction of the lost term among it: the backup host moved
        // (db2 to db1), and the former one's spool, where that segment was, is stored by `local up`.
        var storage = stack.Target.Backups()!.Storage;
        Assert.Equal("db1", stack.Target.Backups()!.BackupHost.Name);
        await StoredSegmentAsync(storage, committed.Gtids.Single(), "db1");
        var stored = (await BackupCatalog.LoadAsync(storage, CancellationToken.None, listAll: false)).Binlogs.ToList();

        // Home again by a planned switchover to the configured primary: semi-sync comes back with it.
        var back = await stack.NewTarget(stack.Topology).SwitchoverAsync("db1", null);
        Assert.Equal("db1", back.Term.Primary);
        Assert.Equal("ON", await stack.ScalarAsync("db2", "SELECT IF(@@rpl_semi_sync_slave_enabled, 'ON', 'OFF')"));
        Assert.Equal("ON", await stack.ScalarAsync("db1", "SELECT IF(@@rpl_semi_sync_master_enabled, 'ON', 'OFF')"));

        // db1's rewind reset its binlogs (its file numbers start again): the archive follows it in a new history,
        // replaces no segment it stored before (db1's former ones, db3's of the same names), and stores what db1
        // commits now under db1's name.
        await stack.ExecuteAsync("db1", "INSERT INTO dr_probe.t VALUES (100)");
        var home = Gtid.Parse(await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos") ?? "");
        // (db3, a replica of db1 now, logs it too, and the archive's stream from db3 may still have been open.)
        var homeSegment = await StoredSegmentAsync(storage, home, "db1");
        var catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None, listAll: false);
        Assert.Contains(catalog.Binlogs, s => s.Source == "db3");
        Assert.DoesNotContain(stored, s => s.Source == "db1" && s.History == homeSegment.History);
        foreach (var earlier in stored)
        {
            Assert.Equal(earlier.Sha256, catalog.Binlogs.Single(s => s.Key == earlier.Key).Sha256);
        }
    }

    /// <summary>The stored (uploaded) segment of <paramref name="source"/> holding <paramref name="gtid"/>, waited for up to 30 s (the archive closes a quiet primary's binlog after a third of the RPO).</summary>
    private async Task<BackupManifest> StoredSegmentAsync(Operations.Backups.Rclone storage, Gtid gtid, string source)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None, listAll: false);
            if (catalog.Binlogs.FirstOrDefault(s => s.Source == source && BackupCatalog.FirstSequence(s) <= gtid.Sequence && BackupCatalog.LastSequence(s) >= gtid.Sequence) is { } segment)
            {
                return segment;
            }

            if (DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(stack.StateRoot, "local", "agent", "binlog-archive.log");
                Assert.Fail($"the archive did not store GTID {gtid} from {source} within 30 s; stored: {string.Join(", ", catalog.Binlogs.Select(s => $"{s.Id} {s.FirstGtid}..{s.LastGtid}"))}; " +
                    $"archive log:\n{(File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(15)) : "(none)")}");
            }

            await Task.Delay(200);
        }
    }

    [MariaDbFact]
    public async Task A_quiet_primarys_last_transaction_is_stored_by_the_archive_within_the_rpo()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        var primary = stack.Target.Topology.Primary.Name;
        await stack.ExecuteAsync(primary, "CREATE DATABASE IF NOT EXISTS quiet", "CREATE TABLE IF NOT EXISTS quiet.t (id INT AUTO_INCREMENT PRIMARY KEY)");
        await Task.Delay(TimeSpan.FromSeconds(ArchivedLocalServers.RpoSeconds));

        // One commit, then nothing: without a timed rotation it would wait in the open binlog until 256M of later writes.
        await stack.ExecuteAsync(primary, "INSERT INTO quiet.t VALUES ()");
        var committed = Gtid.Parse(await stack.ScalarAsync(primary, "SELECT @@gtid_binlog_pos") ?? "");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var storage = stack.Target.Backups()!.Storage;
        while (true)
        {
            var catalog = await Operations.Backups.BackupCatalog.LoadAsync(storage, CancellationToken.None, listAll: false);
            if (catalog.Binlogs.Any(s => Operations.Backups.BackupCatalog.LastSequence(s) >= committed.Sequence))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(ArchivedLocalServers.RpoSeconds),
                $"GTID {committed} was not stored by the archive within {ArchivedLocalServers.RpoSeconds} s (rpoSeconds)");
            await Task.Delay(200);
        }

        Assert.Contains(File.ReadLines(Path.Combine(stack.StateRoot, "local", "agent", "binlog-archive.log")), l => l.Contains("held transactions for", StringComparison.Ordinal));
    }

    [MariaDbFact]
    public async Task The_dr_site_is_rebuilt_from_the_offsite_copy_falling_back_past_a_corrupt_newest_backup()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        var primary = stack.Target.Topology.Primary.Name;
        var backups = stack.Target.Backups()!;
        await stack.ExecuteAsync(primary, "CREATE DATABASE IF NOT EXISTS rebuild_probe", "CREATE TABLE IF NOT EXISTS rebuild_probe.t (id INT PRIMARY KEY)", "REPLACE INTO rebuild_probe.t VALUES (1)");
        var older = await backups.RunAsync("full", CancellationToken.None);
        await stack.ExecuteAsync(primary, "REPLACE INTO rebuild_probe.t VALUES (2)");
        var newest = await backups.RunAsync("full", CancellationToken.None);

        // The offsite copy's newest backup is damaged (one byte of its stored stream flipped); the primary bucket's is intact.
        var storedFile = Directory.GetFiles(Path.Combine(stack.StateRoot, "local", "storage", "s3", "offsite"), "backup.xbstream.zst.age._S3rver_object", SearchOption.AllDirectories)
            .Single(f => f.Contains(newest.Split('/')[^1], StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(storedFile);
        bytes[bytes.Length / 2] ^= 0x5a;
        await File.WriteAllBytesAsync(storedFile, bytes);
        await stack.ExecuteAsync(primary, "REPLACE INTO rebuild_probe.t VALUES (3)");

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => stack.NewTarget(stack.Topology).RebuildSiteAsync("dr", force: false));
        Assert.Contains("db3 has a datadir", refused.Problem);
        Assert.Contains("Nothing was changed", refused.Problem);
        Assert.Equal("3", await stack.ScalarAsync("db3", "SELECT COUNT(*) FROM rebuild_probe.t"));

        var log = new MemoryStepLog();
        var result = await stack.NewTarget(stack.Topology, log).RebuildSiteAsync("dr", force: true);

        Assert.Equal("offsite copy", result.Copy);
        Assert.Equal(older.Split('/')[^1], result.Hosts.Single().Backup);
        Assert.Contains(log.Lines, l => l.Contains(newest.Split('/')[^1], StringComparison.Ordinal) && l.Contains("falling back to the previous chain", StringComparison.Ordinal));
        Assert.True(result.TablesVerified > 0);
        Assert.Equal("3", await stack.ScalarAsync("db3", "SELECT COUNT(*) FROM rebuild_probe.t"));
        Assert.Equal("1", await stack.ScalarAsync("db3", "SELECT @@read_only"));
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems)));
    }

    [MariaDbFact]
    public async Task An_interrupted_rebuild_is_run_again_without_force()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        await stack.Target.Backups()!.RunAsync("full", CancellationToken.None);

        // What a rebuild killed after its first step leaves: its marker for the host, whose datadir is still there.
        var markers = Path.Combine(stack.Target.Paths.Root, "rebuild");
        Directory.CreateDirectory(markers);
        await File.WriteAllTextAsync(Path.Combine(markers, "db3"), "rebuild of dr started (interrupted)\n");

        var result = await stack.NewTarget(stack.Topology).RebuildSiteAsync("dr", force: false);

        Assert.Equal("db3", result.Hosts.Single().Host);
        Assert.False(File.Exists(Path.Combine(markers, "db3")), "the marker outlived the rebuild");
        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => stack.NewTarget(stack.Topology).RebuildSiteAsync("dr", force: false));
        Assert.Contains("db3 has a datadir", refused.Problem);
    }

    /// <summary>Until the binlog archive has streamed <paramref name="position"/> (its spool on this machine).</summary>
    private async Task WaitForArchiveAsync(GtidPosition position)
    {
        var context = stack.Target.RoleChange();
        var evidence = new Operations.Local.LocalRecoveryEvidence(stack.Target.Backups(), context.Admin, new Operations.Sql.ServerConnector());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<KnownPosition> known = [];
        while (DateTime.UtcNow < deadline)
        {
            known = await evidence.ArchiveAsync(CancellationToken.None);
            if (known.Any(k => k.Position.Contains(position)))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the binlog archive did not stream '{position}' within 30 s (it has {string.Join(", ", known.Select(k => $"'{k.Position}' in {k.Where}"))})");
    }
}
