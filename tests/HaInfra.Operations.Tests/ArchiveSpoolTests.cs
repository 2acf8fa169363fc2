using HaInfra.Operations.Local;

namespace HaInfra.Operations.Tests;

/// <summary>A former backup host's spool, as `local up` reads it before that host's agent uploads what it left.</summary>
public sealed class ArchiveSpoolTests : IDisposable
{
    private readonly string _spool = Directory.CreateTempSubdirectory("hainfra-spool-").FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    private void Segment(string path, int size, int? markedSize = null)
    {
        var file = Path.Combine(_spool, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, new byte[size]);
        if (markedSize is { } marked)
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, $".{Path.GetFileName(file)}.uploaded"), $"{marked}\n");
        }
    }

    [Fact]
    public void The_live_primarys_open_file_is_left_out_and_everything_else_unstored_is_listed()
    {
        Segment("db1/20261207T100000Z/mysql-bin.000007", 10);           // an older history of the live primary: closed
        Segment("db1/20261207T120000Z/mysql-bin.000002", 10, 10);       // stored
        Segment("db1/20261207T120000Z/mysql-bin.000003", 20, 10);       // grew after its upload
        Segment("db1/20261207T120000Z/mysql-bin.000004", 5);            // the stream's open file: held back
        Segment("db2/20261207T110000Z/mysql-bin.000009", 5);            // a former primary's last file: closed
        File.WriteAllText(Path.Combine(_spool, "db1", "20261207T120000Z", ".gtid-list"), "x");

        Assert.Equal(Path.Combine(_spool, "db1", "20261207T120000Z", "mysql-bin.000004"), ArchiveSpool.OpenSegment(_spool, "db1"));
        Assert.Equal(
            ["db1/20261207T100000Z/mysql-bin.000007", "db1/20261207T120000Z/mysql-bin.000003", "db2/20261207T110000Z/mysql-bin.000009"],
            ArchiveSpool.Unstored(_spool, "db1"));
    }

    [Fact]
    public void When_the_spooled_primary_is_no_longer_primary_its_newest_file_is_listed_too()
    {
        Segment("db1/20261207T120000Z/mysql-bin.000004", 5);

        Assert.Null(ArchiveSpool.OpenSegment(_spool, "db2"));
        Assert.Equal(["db1/20261207T120000Z/mysql-bin.000004"], ArchiveSpool.Unstored(_spool, "db2"));
        Assert.Empty(ArchiveSpool.Unstored(Path.Combine(_spool, "absent"), "db1"));
    }
}
