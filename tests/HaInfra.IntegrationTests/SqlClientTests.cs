using HaInfra.Tests.Shared;
using HaInfra.Operations.Sql;

namespace HaInfra.IntegrationTests;

/// <summary>The thin client's error mapping and string handling, checked against a real server (not trusted from the driver).</summary>
public sealed class SqlClientTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    private int Port => stack.Topology.Local.BasePort!.Value;

    [MariaDbFact]
    public async Task Wrong_password_is_access_denied()
    {
        await stack.ExecuteAsync("db1", "SET SESSION sql_log_bin = 0", "CREATE USER IF NOT EXISTS 'probe'@'127.0.0.1' IDENTIFIED BY 'right-password'");
        var endpoint = SqlEndpoint.Tcp("db1", "127.0.0.1", Port, "probe", new HaInfra.Operations.Secret("wrong-password"), requireTls: true);

        var error = await Assert.ThrowsAsync<SqlOperationException>(() => new ServerConnector().ConnectAsync(endpoint));

        Assert.Equal(SqlError.AccessDenied, error.Error);
        Assert.DoesNotContain("wrong-password", error.ToString(), StringComparison.Ordinal);
    }

    [MariaDbFact]
    public async Task Right_password_over_tls_connects()
    {
        await stack.ExecuteAsync("db1", "SET SESSION sql_log_bin = 0", "CREATE USER IF NOT EXISTS 'probe2'@'127.0.0.1' IDENTIFIED BY 'right-password'");
        var endpoint = SqlEndpoint.Tcp("db1", "127.0.0.1", Port, "probe2", new HaInfra.Operations.Secret("right-password"), requireTls: true);
        await using var client = await new ServerConnector().ConnectAsync(endpoint);
        Assert.NotEqual("", await client.ScalarAsync("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher'"));
    }

    [MariaDbFact]
    public async Task Unknown_table_and_unknown_database_are_named()
    {
        await using var client = await stack.ConnectAsync("db1");
        var table = await Assert.ThrowsAsync<SqlOperationException>(() => client.QueryAsync("SELECT * FROM mysql.no_such_table"));
        Assert.Equal(SqlError.UnknownTable, table.Error);
        Assert.Equal("SELECT * FROM mysql.no_such_table", table.Statement);
        var database = await Assert.ThrowsAsync<SqlOperationException>(() => client.ExecuteAsync("USE no_such_database"));
        Assert.Equal(SqlError.UnknownDatabase, database.Error);
    }

    [MariaDbFact]
    public async Task Missing_socket_is_a_connection_failure()
    {
        var error = await Assert.ThrowsAsync<SqlOperationException>(() =>
            new ServerConnector().ConnectAsync(SqlEndpoint.UnixSocket("ghost", Path.Combine(stack.StateRoot, "no.sock"))));
        Assert.True(error.IsConnectionFailure, $"{error.Error} {error.Number}: {error.Message}");
    }

    [MariaDbFact]
    public async Task Utf8_strings_and_variables_read_fine()
    {
        await using var client = await stack.ConnectAsync("db1");
        Assert.Equal("grüße ✓", await client.ScalarAsync(SqlStatement.With("SELECT @s", ("s", "grüße ✓"))));
        var variables = await client.VariablesAsync("VARIABLES", ["version_comment", "character_set_server"]);
        Assert.Equal("utf8mb4", variables["character_set_server"]);
    }

    [MariaDbFact]
    public async Task Write_as_a_normal_user_on_a_read_only_server_is_read_only()
    {
        await stack.ExecuteAsync("db2", "SET SESSION sql_log_bin = 0", "CREATE DATABASE IF NOT EXISTS ro_probe", "CREATE TABLE IF NOT EXISTS ro_probe.t (id INT PRIMARY KEY)",
            "CREATE USER IF NOT EXISTS 'writer'@'127.0.0.1' IDENTIFIED BY 'pw'", "GRANT INSERT ON ro_probe.* TO 'writer'@'127.0.0.1'");
        var port = stack.Topology.Local.BasePort!.Value + 1;
        await using var client = await new ServerConnector().ConnectAsync(SqlEndpoint.Tcp("db2", "127.0.0.1", port, "writer", new HaInfra.Operations.Secret("pw"), requireTls: true));

        var error = await Assert.ThrowsAsync<SqlOperationException>(() => client.ExecuteAsync("INSERT INTO ro_probe.t VALUES (1)"));

        Assert.Equal(SqlError.ReadOnly, error.Error);
        Assert.Equal(1290, error.Number);
    }

    [MariaDbFact]
    public async Task A_row_held_by_another_transaction_is_a_lock_wait_timeout()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS lock_probe", "CREATE TABLE IF NOT EXISTS lock_probe.t (id INT PRIMARY KEY, v INT)",
            "INSERT IGNORE INTO lock_probe.t VALUES (1, 0)");
        await using var holder = await stack.ConnectAsync("db1");
        await using var waiter = await stack.ConnectAsync("db1");
        await holder.ExecuteAsync("START TRANSACTION");
        await holder.ExecuteAsync("UPDATE lock_probe.t SET v = v + 1 WHERE id = 1");
        await waiter.ExecuteAsync("SET SESSION innodb_lock_wait_timeout = 1");

        var error = await Assert.ThrowsAsync<SqlOperationException>(() => waiter.ExecuteAsync("UPDATE lock_probe.t SET v = v + 1 WHERE id = 1"));
        await holder.ExecuteAsync("ROLLBACK");

        Assert.Equal(SqlError.LockWaitTimeout, error.Error);
    }

    [MariaDbFact]
    public async Task A_closed_port_is_a_connection_failure_and_a_killed_session_too()
    {
        var free = TestPorts.Reserve(1);
        var refused = await Assert.ThrowsAsync<SqlOperationException>(() =>
            new ServerConnector().ConnectAsync(SqlEndpoint.Tcp("ghost", "127.0.0.1", free, "root", new HaInfra.Operations.Secret("x"), requireTls: false)));
        Assert.Equal(SqlError.CantConnectTcp, refused.Error);
        Assert.True(refused.IsConnectionFailure);

        await using var victim = await stack.ConnectAsync("db1");
        var id = await victim.ScalarAsync("SELECT CONNECTION_ID()");
        await stack.ExecuteAsync("db1", $"KILL CONNECTION {id}");
        var killed = await Assert.ThrowsAsync<SqlOperationException>(() => victim.ScalarAsync("SELECT 1"));
        Assert.True(killed.IsConnectionFailure, $"{killed.Error} {killed.Number}: {killed.Message}");
    }

    [MariaDbFact]
    public async Task A_cancelled_statement_returns_when_asked()
    {
        await using var client = await stack.ConnectAsync("db1");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ScalarAsync("SELECT SLEEP(20)", cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
