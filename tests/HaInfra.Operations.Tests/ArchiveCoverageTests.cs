using HaInfra.Model.Gtids;
using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

/// <summary>Which archived segments a point-in-time restore needs, and when the archive proves that nothing was written.</summary>
public sealed class ArchiveCoverageTests
{
    private static readonly DateTimeOffset Target = new(2026, 12, 7, 12, 46, 26, TimeSpan.Zero);

    private static readonly BackupManifest Base = new()
    {
        Id = "f1", Kind = "full", Chain = "f1", Gtid = "0-2-500", Finished = Target.AddSeconds(-30),
        Key = "full/db3/f1/manifest.json", DataKey = "full/db3/f1/backup.xbstream.zst.age",
    };

    [Fact]
    public void Nothing_written_since_the_backup_is_proven_by_the_server_the_archive_went_on_following()
    {
        // db1 was the primary until a switchover; its last file ends with the backup's transaction and nothing of db1
        // follows it. db2, the primary since, also logged that transaction; its next file was still open at the target
        // and holds nothing later. db1's file sorts first: the proof must not stop at it.
        var catalog = BackupCatalog.From([
            Segment("db1", 7, first: 1, last: 500, closedAt: Target.AddSeconds(-60)),
            Segment("db2", 3, first: 400, last: 500, closedAt: Target.AddSeconds(-20)),
            Segment("db2", 4, first: null, last: null, closedAt: Target.AddSeconds(2)),
            Base,
        ], []);

        Assert.Empty(ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)));
    }

    [Fact]
    public void A_later_commit_of_a_failed_primary_is_never_dropped_by_an_empty_file_of_its_successor()
    {
        // db1 committed 501 ten seconds before the target and died (its last file never closed); db2, promoted at
        // 500, rotated an empty file after the target. A restore to the target must not be the base alone.
        var crashed = Segment("db1", 8, first: 501, last: 501, closedAt: Target.AddSeconds(-10)) with { ClosedAt = null, FirstEvent = "2026-12-07T12:46:16Z" };
        var catalog = BackupCatalog.From([
            Segment("db1", 7, first: 1, last: 500, closedAt: Target.AddSeconds(-60)),
            crashed,
            Segment("db2", 3, first: 400, last: 500, closedAt: Target.AddSeconds(-20)),
            Segment("db2", 4, first: null, last: null, closedAt: Target.AddSeconds(5)),
            Base,
        ], []);

        var error = Assert.Throws<OperationFailedException>(() => ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)));
        Assert.Contains("the binlog archive ends at 0-2-501", error.Problem);
    }

    [Fact]
    public void An_archive_that_stops_at_the_backup_before_the_target_is_an_error()
    {
        var catalog = BackupCatalog.From([Segment("db1", 7, first: 1, last: 500, closedAt: Target.AddSeconds(-60)), Base], []);

        var error = Assert.Throws<OperationFailedException>(() => ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)));
        Assert.Contains("the binlog archive ends at the backup's own GTID '0-2-500'", error.Problem);
    }

    [Fact]
    public void A_later_transaction_in_the_followed_server_s_files_needs_its_segment()
    {
        var catalog = BackupCatalog.From([
            Segment("db1", 7, first: 1, last: 500, closedAt: Target.AddSeconds(-60)),
            Segment("db2", 3, first: 400, last: 500, closedAt: Target.AddSeconds(-20)),
            Segment("db2", 4, first: 501, last: 502, closedAt: Target.AddSeconds(2)),
            Base,
        ], []);

        Assert.Equal(["db2/mysql-bin.000004"], ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)).Select(s => s.Id));
    }

    [Theory]
    [InlineData("20261207T120000Z", true)]
    [InlineData("20261207T124000Z", false)]
    public void Only_the_next_file_of_the_same_binlog_history_continues_a_file(string nextHistory, bool provesNothingWritten)
    {
        // db1's file 3 ends with the backup's transaction; its file 4 was empty at the target. In the same history that
        // proves nothing was written. In a later one (db1 rejoined, its binlogs reset at 0-2-520, 501..520 archived
        // nowhere) the number 4 follows 3 but the file does not: the restore must fail, not come back as the base alone.
        var catalog = BackupCatalog.From([
            Segment("db1", 3, first: 1, last: 500, closedAt: Target.AddSeconds(-60), history: "20261207T120000Z"),
            Segment("db1", 4, first: null, last: null, closedAt: Target.AddSeconds(2), history: nextHistory),
            Base,
        ], []);

        if (provesNothingWritten)
        {
            Assert.Empty(ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)));
        }
        else
        {
            var error = Assert.Throws<OperationFailedException>(() => ArchiveCoverage.SegmentsFor(catalog, Base, 500, new RestoreTarget(Target, null)));
            Assert.Contains("the binlog archive ends at the backup's own GTID '0-2-500'", error.Problem);
        }
    }

    private static BackupManifest Segment(string source, int file, ulong? first, ulong? last, DateTimeOffset closedAt, string? history = null) => new()
    {
        Id = history is null ? $"{source}/mysql-bin.{file:D6}" : $"{source}/{history}/mysql-bin.{file:D6}", Kind = "binlog", Source = source, History = history,
        File = $"mysql-bin.{file:D6}",
        FirstGtid = first is { } f ? $"0-2-{f}" : null, LastGtid = last is { } l ? $"0-2-{l}" : null,
        LastEvent = closedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ClosedAt = closedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        Finished = closedAt.AddSeconds(1),
        Key = $"binlog/db3/{source}/mysql-bin.{file:D6}/manifest.json", DataKey = $"binlog/db3/{source}/mysql-bin.{file:D6}.zst.age",
    };
}
