using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

/// <summary>A manifest belongs to the directory its kind, host and id name: one copied over another backup's is refused.</summary>
public sealed class ManifestPlacementTests
{
    private const string Full = """{"format":1,"id":"20261206T100000000Z-full","kind":"full","host":"db2","object":"full/db2/20261206T100000000Z-full/backup.xbstream.zst.age"}""";
    private const string Segment = """{"format":1,"id":"db1/mysql-bin.000007","kind":"binlog","host":"db2","object":"binlog/db2/db1/mysql-bin.000007.zst.age"}""";

    [Fact]
    public void A_manifest_in_its_own_directory_is_read()
    {
        Assert.Equal("full", BackupManifest.Parse(Full, "full/db2/20261206T100000000Z-full/manifest.json").Kind);
        Assert.Equal("binlog", BackupManifest.Parse(Segment, "binlog/db2/db1/mysql-bin.000007/manifest.json").Kind);
    }

    [Fact]
    public void A_manifest_copied_into_another_backups_directory_is_unreadable_with_both_places_named()
    {
        var error = Assert.Throws<InvalidDataException>(() => BackupManifest.Parse(Full, "full/db2/20261206T110000000Z-full/manifest.json"));
        Assert.Contains("describes full '20261206T100000000Z-full' of db2", error.Message);
        Assert.Contains("lies at full/db2/20261206T110000000Z-full/manifest.json", error.Message);
    }

    [Fact]
    public void A_manifest_whose_data_lies_elsewhere_is_unreadable()
    {
        var moved = Full.Replace("\"object\":\"full/db2/20261206T100000000Z-full/", "\"object\":\"full/db2/other/", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => BackupManifest.Parse(moved, "full/db2/20261206T100000000Z-full/manifest.json"));
    }
}
