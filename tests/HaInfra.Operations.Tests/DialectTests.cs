using HaInfra.Model;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Tests;

public class DialectTests
{
    private static readonly ReplicationSource Source = new("db1.internal", 3306, "hainfra_repl", new Secret("pw-not-in-text"), "/etc/mysql/tls/ca.pem");

    [Fact]
    public void Mariadb_uses_change_master_with_gtid_slave_pos()
    {
        var dialect = ServerDialects.For(ServerFlavor.MariaDb, ServerVersion.Parse("10.11"));
        var statement = dialect.ChangeSource(Source);
        Assert.Equal(
            "CHANGE MASTER TO MASTER_HOST = 'db1.internal', MASTER_PORT = 3306, MASTER_USER = 'hainfra_repl', MASTER_PASSWORD = @password, " +
            "MASTER_CONNECT_RETRY = 2, MASTER_USE_GTID = slave_pos, MASTER_SSL = 1, MASTER_SSL_CA = '/etc/mysql/tls/ca.pem', MASTER_SSL_VERIFY_SERVER_CERT = 1",
            statement.Text);
        Assert.Equal("pw-not-in-text", statement.Parameters["password"]);
        Assert.Equal("START SLAVE", dialect.StartReplica);
        Assert.Equal("SHOW SLAVE STATUS", dialect.ShowReplicaStatus);
        Assert.Equal("Slave_IO_Running", dialect.Column("IO_Running"));
        Assert.Equal("Seconds_Behind_Master", dialect.Column("Seconds_Behind"));
        Assert.Equal("rpl_semi_sync_master_enabled", dialect.SemiSyncSourceVariable);
    }

    [Fact]
    public void Mysql_8023_and_later_use_change_replication_source()
    {
        var dialect = ServerDialects.For(ServerFlavor.MySql, ServerVersion.Parse("8.0.36"));
        var text = dialect.ChangeSource(Source).Text;
        Assert.StartsWith("CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'db1.internal', SOURCE_PORT = 3306", text, StringComparison.Ordinal);
        Assert.Contains("SOURCE_AUTO_POSITION = 1", text, StringComparison.Ordinal);
        Assert.Contains("SOURCE_SSL_VERIFY_SERVER_CERT = 1", text, StringComparison.Ordinal);
        Assert.Equal("START REPLICA", dialect.StartReplica);
        Assert.Equal("SHOW REPLICA STATUS", dialect.ShowReplicaStatus);
        Assert.Equal("Replica_IO_Running", dialect.Column("IO_Running"));
        Assert.Equal("Source_Host", dialect.Column("Host"));
        Assert.Equal("Seconds_Behind_Source", dialect.Column("Seconds_Behind"));
        Assert.Equal("rpl_semi_sync_source_enabled", dialect.SemiSyncSourceVariable);
    }

    [Fact]
    public void Mysql_8022_renamed_start_and_show_but_not_change_master()
    {
        var dialect = ServerDialects.For(ServerFlavor.MySql, ServerVersion.Parse("8.0.22"));
        Assert.Equal("START REPLICA", dialect.StartReplica);
        Assert.StartsWith("CHANGE MASTER TO MASTER_HOST", dialect.ChangeSource(Source).Text, StringComparison.Ordinal);
        Assert.Contains("MASTER_AUTO_POSITION = 1", dialect.ChangeSource(Source).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mysql_before_8026_keeps_master_semi_sync_names()
    {
        Assert.Equal("rpl_semi_sync_master_enabled", ServerDialects.For(ServerFlavor.MySql, ServerVersion.Parse("8.0.25")).SemiSyncSourceVariable);
        Assert.Equal("rpl_semi_sync_replica_enabled", ServerDialects.For(ServerFlavor.MySql, ServerVersion.Parse("8.4")).SemiSyncReplicaVariable);
    }

    [Fact]
    public void Mysql_without_tls_asks_for_the_source_public_key()
    {
        var plain = Source with { TlsCaFile = null };
        Assert.Contains("GET_SOURCE_PUBLIC_KEY = 1", ServerDialects.For(ServerFlavor.MySql, ServerVersion.Parse("8.4")).ChangeSource(plain).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("PUBLIC_KEY", ServerDialects.For(ServerFlavor.MariaDb, ServerVersion.Parse("10.11")).ChangeSource(plain).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", ServerFlavor.MariaDb, "10.11.19")]
    [InlineData("8.0.36", ServerFlavor.MySql, "8.0.36")]
    [InlineData("8.4.2-commercial", ServerFlavor.MySql, "8.4.2")]
    public void Server_version_strings_are_identified(string text, ServerFlavor flavor, string version)
    {
        var (f, v) = ServerDialects.Identify(text);
        Assert.Equal(flavor, f);
        Assert.Equal(version, v.ToString());
    }
}
