using HaInfra.Model.Gtids;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The binlog archive when the primary purged binlogs it had not streamed yet (the archive was stopped): the same
/// history goes on from the primary's oldest file, the gap is logged, and a point-in-time restore across it fails
/// naming it instead of silently skipping transactions.
/// </summary>
public sealed class ArchiveGapTests(BackedUpLocalServers stack) : IClassFixture<BackedUpLocalServers>
{
    private string ArchiveLog => Path.Combine(stack.StateRoot, "local", "agent", "binlog-archive.log");

    [MariaDbFact]
    public async Task Binlogs_purged_before_they_were_archived_leave_a_named_gap_in_the_same_history()
    {
        var storage = stack.Backups.Storage;
        await stack.ExecuteAsync("db1", "CREATE DATABASE gap", "CREATE TABLE gap.t (id INT PRIMARY KEY)");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        await stack.Backups.RunAsync("full", CancellationToken.None);
        await stack.ExecuteAsync("db1", "INSERT INTO gap.t VALUES (1)");
        var before = await StoredSegmentAsync(storage, await PositionAsync());

        // The archive stops; the primary writes two files' worth and purges them, as a binlog expiry would.
        await stack.Backups.StopAsync(CancellationToken.None);
        await stack.ExecuteAsync("db1", "INSERT INTO gap.t VALUES (2)", "FLUSH BINARY LOGS", "INSERT INTO gap.t VALUES (3)", "FLUSH BINARY LOGS");
        var purged = await PositionAsync();
        await SeedHelpers.CatchUpAsync(stack, "db2");
        await SeedHelpers.CatchUpAsync(stack, "db3");
        await PurgeAllButCurrentAsync();
        await stack.ExecuteAsync("db1", "INSERT INTO gap.t VALUES (4)");
        var after = await PositionAsync();

        // `local up` starts the archive again.
        await stack.NewTarget(stack.Topology).UpAsync();
        var resumed = await StoredSegmentAsync(storage, after);
        Assert.Equal(before.History, resumed.History);
        Assert.Contains(File.ReadLines(ArchiveLog), l => l.Contains("the archive has a gap there", StringComparison.Ordinal));
        var catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None);
        Assert.DoesNotContain(catalog.Binlogs, s => s.Source == "db1" && BackupCatalog.FirstSequence(s) <= purged.Sequence && BackupCatalog.LastSequence(s) >= purged.Sequence);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => new PointInTimeRestore(storage, stack.Backups.Identity(), new ServerConnector(), new MemoryStepLog())
            .RestoreAsync(new RestoreTarget(null, after), Path.Combine(stack.StateRoot, "work", "across-gap"), CancellationToken.None));
        Assert.Contains("gap", error.Message, StringComparison.Ordinal);
    }

    [MariaDbFact]
    public async Task A_spool_left_by_an_agent_without_histories_is_adopted_as_the_first_history_and_nothing_is_stored_twice()
    {
        var storage = stack.Backups.Storage;
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS flat", "CREATE TABLE IF NOT EXISTS flat.t (id INT PRIMARY KEY)", "INSERT INTO flat.t VALUES (1)");
        await StoredSegmentAsync(storage, await PositionAsync());

        // An earlier agent kept db1's segments and their upload markers directly in binlogs/db1/.
        await stack.Backups.StopAsync(CancellationToken.None);
        var source = Path.Combine(stack.Backups.ArchiveSpoolDir, "db1");
        var history = Assert.Single(Directory.GetDirectories(source));
        var adopted = Directory.GetFiles(history).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(adopted);
        foreach (var file in Directory.GetFiles(history))
        {
            File.Move(file, Path.Combine(source, Path.GetFileName(file)));
        }

        Directory.Delete(history);
        await stack.ExecuteAsync("db1", "INSERT INTO flat.t VALUES (2)");
        var written = await PositionAsync();

        await stack.NewTarget(stack.Topology).UpAsync();
        // The archive adopts at its start. StoredSegmentAsync runs `binlog-upload`, which adopts too (a former backup
        // host's agent needs that) and logs elsewhere: the test waits for the archive's adoption before it uploads.
        var adoptedBy = DateTime.UtcNow.AddSeconds(30);
        while (!File.ReadLines(ArchiveLog).Any(l => l.Contains("into its first history", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < adoptedBy, $"the restarted archive did not log the adoption of the flat spool in {source} within 30 s");
            await Task.Delay(100);
        }

        var resumed = await StoredSegmentAsync(storage, written);
        Assert.Equal("00000000T000000Z", resumed.History);
        Assert.Empty(Directory.GetFiles(source));
        // The stream resumed the newest adopted file (re-fetched whole); every older one was already stored and stays so.
        var catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None);
        Assert.DoesNotContain(catalog.Binlogs, s => s.Source == "db1" && s.History == "00000000T000000Z" && adopted[..^1].Contains(s.File));
    }

    private async Task<Gtid> PositionAsync() => Gtid.Parse((await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"))!);

    /// <summary>PURGE BINARY LOGS up to the open file, again until it is the only one: the server skips a file a
    /// replica's dump thread still reads, and a caught-up replica's thread moves on to the new file a moment later.</summary>
    private async Task PurgeAllButCurrentAsync()
    {
        await using var primary = await stack.ConnectAsync("db1");
        var current = (await primary.QueryAsync("SHOW MASTER STATUS")).Single().Text("File")!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await stack.ExecuteAsync("db1", "PURGE BINARY LOGS TO '" + current + "'");
            var files = (await primary.QueryAsync("SHOW BINARY LOGS")).Select(r => r.Text("Log_name")).ToList();
            if (files.SequenceEqual([current]))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"db1 kept {string.Join(", ", files)} after PURGE BINARY LOGS TO '{current}' for 15 s");
            await Task.Delay(200);
        }
    }

    /// <summary>The stored segment of db1 holding <paramref name="gtid"/>, waited for up to 30 s (the archive closes a quiet binlog after a third of the RPO).</summary>
    private async Task<BackupManifest> StoredSegmentAsync(Rclone storage, Gtid gtid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await stack.Backups.RunAsync("binlog-upload", CancellationToken.None);
            var catalog = await BackupCatalog.LoadAsync(storage, CancellationToken.None);
            if (catalog.Binlogs.FirstOrDefault(s => s.Source == "db1" && BackupCatalog.FirstSequence(s) <= gtid.Sequence && BackupCatalog.LastSequence(s) >= gtid.Sequence) is { } segment)
            {
                return segment;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"the archive did not store GTID {gtid} within 30 s; archive log:\n{(File.Exists(ArchiveLog) ? string.Join("\n", File.ReadLines(ArchiveLog).TakeLast(15)) : "(none)")}");
            await stack.ExecuteAsync("db1", "FLUSH BINARY LOGS");
            await Task.Delay(500);
        }
    }
}
