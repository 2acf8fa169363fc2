using HaInfra.Tests.Shared;
using HaInfra.Operations;

namespace HaInfra.IntegrationTests;

/// <summary>A replica holding transactions of its own stops the bootstrap; nothing is written anywhere.</summary>
public sealed class ErrantTransactionTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Up_refuses_a_replica_with_errant_transactions_and_changes_nothing()
    {
        // Root bypasses read_only: the classic way a replica gets transactions the primary never had.
        await stack.ExecuteAsync("db3", "CREATE DATABASE oops", "CREATE TABLE oops.t (id INT PRIMARY KEY)");
        await stack.ExecuteAsync("db3", "STOP SLAVE");
        var primaryBefore = await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos");

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => stack.NewTarget(stack.Topology).UpAsync());

        Assert.Contains("db3 holds transactions that db1 never had", error.Problem);
        Assert.Contains("errant GTIDs 0-" + stack.Topology.Host("db3").ServerId, error.Problem);
        Assert.Contains("reseed", error.Fix);
        Assert.Equal(primaryBefore, await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"));
        Assert.Equal("No", (await SlaveStatus("db3"))!.Text("Slave_SQL_Running"));
    }

    private async Task<HaInfra.Operations.Sql.SqlRow?> SlaveStatus(string host)
    {
        await using var client = await stack.ConnectAsync(host);
        var rows = await client.QueryAsync("SHOW SLAVE STATUS");
        return rows.Count == 0 ? null : rows[0];
    }
}

/// <summary>A replica with data but no GTID position would replay the whole binlog over its data: refused.</summary>
public sealed class DataWithoutGtidTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Up_refuses_a_replica_that_has_data_but_an_empty_gtid_position()
    {
        await stack.ExecuteAsync("db2",
            "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL gtid_slave_pos = ''", "RESET MASTER");
        Assert.Equal("", await stack.ScalarAsync("db2", "SELECT @@gtid_current_pos"));

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => stack.NewTarget(stack.Topology).UpAsync());

        Assert.Contains("db2 holds", error.Problem);
        Assert.Contains("no GTID position", error.Problem);
        Assert.Equal("0", await stack.ScalarAsync("db2", "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Slave_IO'"));
    }
}
