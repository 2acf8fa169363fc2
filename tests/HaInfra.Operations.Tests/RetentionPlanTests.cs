using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

/// <summary>Retention decisions from manifests and a clock: what may go, and that retained chains stay whole.</summary>
public class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly BackupRetention Retention = new(FullDays: 30, IncrementalDays: 7, LogicalDays: 14, BinlogDays: 7);

    [Fact]
    public void An_expired_full_whose_incrementals_are_retained_is_kept()
    {
        var catalog = Catalog(
            Full("f1", daysAgo: 40, seq: 100),
            Incremental("i1", "f1", "f1", daysAgo: 39, seq: 110),
            Incremental("i2", "i1", "f1", daysAgo: 5, seq: 120),
            Full("f2", daysAgo: 2, seq: 200));

        var plan = RetentionPlan.Plan(catalog, Retention, Now);

        Assert.DoesNotContain(plan, d => d.What is "f1" or "i1" or "i2");
    }

    [Fact]
    public void A_fully_expired_chain_goes_manifest_first()
    {
        var catalog = Catalog(
            Full("f1", daysAgo: 40, seq: 100),
            Incremental("i1", "f1", "f1", daysAgo: 39, seq: 110),
            Full("f2", daysAgo: 2, seq: 200));

        var plan = RetentionPlan.Plan(catalog, Retention, Now);

        Assert.Equal(["f1", "i1"], plan.Select(d => d.What).Order(StringComparer.Ordinal));
        var f1 = plan.Single(d => d.What == "f1");
        Assert.Equal("full/db2/f1/manifest.json", f1.Keys[0]);
        Assert.Contains("full/db2/f1/backup.xbstream.zst.age", f1.Keys);
    }

    [Fact]
    public void The_newest_chain_is_kept_even_when_expired()
    {
        var catalog = Catalog(Full("f1", daysAgo: 400, seq: 100), Incremental("i1", "f1", "f1", daysAgo: 390, seq: 110));
        Assert.Empty(RetentionPlan.Plan(catalog, Retention, Now));
    }

    [Fact]
    public void Expired_incrementals_of_a_retained_full_go_only_when_no_later_link_needs_them()
    {
        var catalog = Catalog(
            Full("f1", daysAgo: 20, seq: 100),
            Incremental("i1", "f1", "f1", daysAgo: 19, seq: 110),
            Incremental("i2", "i1", "f1", daysAgo: 18, seq: 120),
            Full("f2", daysAgo: 1, seq: 200));

        var plan = RetentionPlan.Plan(catalog, Retention, Now);

        Assert.Equal(["i1", "i2"], plan.Select(d => d.What).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Binlogs_needed_by_a_kept_backup_stay_even_when_old()
    {
        var catalog = Catalog(
            Full("f1", daysAgo: 20, seq: 100),
            Full("f2", daysAgo: 1, seq: 200),
            Segment("s1", daysAgo: 25, first: 1, last: 90),
            Segment("s2", daysAgo: 19, first: 91, last: 150),
            Segment("s3", daysAgo: 1, first: 151, last: 210));

        var plan = RetentionPlan.Plan(catalog, Retention, Now);

        Assert.Equal(["s1"], plan.Select(d => d.What));
    }

    [Fact]
    public void Old_logical_dumps_go_but_the_newest_stays()
    {
        var catalog = Catalog(Logical("l1", daysAgo: 60), Logical("l2", daysAgo: 30), Full("f1", daysAgo: 1, seq: 10));
        Assert.Equal(["l1"], RetentionPlan.Plan(catalog, Retention, Now).Select(d => d.What));
    }

    private static BackupCatalog Catalog(params BackupManifest[] manifests) => BackupCatalog.From(manifests, []);

    private static BackupManifest Full(string id, int daysAgo, ulong seq) => Backup(id, "full", null, id, daysAgo, seq, "backup.xbstream.zst.age");

    private static BackupManifest Incremental(string id, string parent, string chain, int daysAgo, ulong seq) =>
        Backup(id, "incremental", parent, chain, daysAgo, seq, "backup.xbstream.zst.age");

    private static BackupManifest Logical(string id, int daysAgo) => Backup(id, "logical", null, id, daysAgo, 1, "dump.sql.zst.age");

    private static BackupManifest Backup(string id, string kind, string? parent, string chain, int daysAgo, ulong seq, string file) => new()
    {
        Id = id, Kind = kind, Parent = parent, Chain = chain, Gtid = $"0-1-{seq}", Finished = Now.AddDays(-daysAgo),
        Key = $"{kind}/db2/{id}/manifest.json", DataKey = $"{kind}/db2/{id}/{file}",
    };

    private static BackupManifest Segment(string id, int daysAgo, ulong first, ulong last) => new()
    {
        Id = id, Kind = "binlog", FirstGtid = $"0-1-{first}", LastGtid = $"0-1-{last}", Finished = Now.AddDays(-daysAgo),
        LastEvent = Now.AddDays(-daysAgo).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        Key = $"binlog/db2/db1/{id}/manifest.json", DataKey = $"binlog/db2/db1/{id}.zst.age",
    };
}
