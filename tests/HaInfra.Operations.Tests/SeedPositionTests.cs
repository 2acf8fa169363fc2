using System.Text;
using HaInfra.Operations.Seeding;

namespace HaInfra.Operations.Tests;

public class SeedPositionTests
{
    [Fact]
    public void Binlog_info_gives_the_gtid_of_the_backup() =>
        Assert.Equal("0-602955-7", SeedPosition.FromBinlogInfo("mysql-bin.000001\t1917\t0-602955-7\n", "db2").ToString());

    [Fact]
    public void Binlog_info_with_several_domains() =>
        Assert.Equal("0-1-9,1-2-3", SeedPosition.FromBinlogInfo("mysql-bin.000004\t385\t0-1-9,1-2-3\n", "db2").ToString());

    [Fact]
    public void Binlog_info_without_a_gtid_is_refused()
    {
        var error = Assert.Throws<OperationFailedException>(() => SeedPosition.FromBinlogInfo("mysql-bin.000001\t329\t\n", "db2"));
        Assert.Contains("carries no GTID position", error.Problem);
    }

    [Fact]
    public void Dump_position_is_read_from_the_trailer_where_mariadb_10_11_writes_it()
    {
        var head = Encoding.UTF8.GetBytes("-- CHANGE MASTER TO MASTER_USE_GTID=slave_pos;\n");
        var tail = Encoding.UTF8.GetBytes("-- SET GLOBAL gtid_slave_pos='0-602955-456';\n\n-- Dump completed\n");
        Assert.Equal("0-602955-456", SeedPosition.FromDump(head, tail, "db2").ToString());
    }

    [Fact]
    public void Dump_position_in_the_header_is_found_too()
    {
        var head = Encoding.UTF8.GetBytes("-- SET GLOBAL gtid_slave_pos='0-1-5';\n");
        Assert.Equal("0-1-5", SeedPosition.FromDump(head, [], "db2").ToString());
    }

    [Fact]
    public void Dump_without_a_position_is_refused() =>
        Assert.Throws<OperationFailedException>(() => SeedPosition.FromDump(Encoding.UTF8.GetBytes("CREATE TABLE t (a INT);"), [], "db2"));
}
