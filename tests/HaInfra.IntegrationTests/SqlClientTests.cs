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

        var error = await Assert.ThrowsAsync<SqlOperationException>(() => new MySqlDataConnector().ConnectAsync(endpoint));

        Assert.Equal(SqlError.AccessDenied, error.Error);
        Assert.DoesNotContain("wrong-password", error.ToString(), StringComparison.Ordinal);
    }

    [MariaDbFact]
    public async Task Right_password_over_tls_connects()
    {
        await stack.ExecuteAsync("db1", "SET SESSION sql_log_bin = 0", "CREATE USER IF NOT EXISTS 'probe2'@'127.0.0.1' IDENTIFIED BY 'right-password'");
        var endpoint = SqlEndpoint.Tcp("db1", "127.0.0.1", Port, "probe2", new HaInfra.Operations.Secret("right-password"), requireTls: true);
        await using var client = await new MySqlDataConnector().ConnectAsync(endpoint);
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
            new MySqlDataConnector().ConnectAsync(SqlEndpoint.UnixSocket("ghost", Path.Combine(stack.StateRoot, "no.sock"))));
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
}
