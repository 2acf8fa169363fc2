using HaInfra.Tests.Shared;
using HaInfra.Operations.Logging;

namespace HaInfra.IntegrationTests;

/// <summary>Killed servers come back with `local up` and catch up.</summary>
public sealed class RestartTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Killed_replica_is_restarted_by_up_and_catches_up()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS r1", "CREATE TABLE IF NOT EXISTS r1.t (id INT PRIMARY KEY)");
        stack.Crash("db2");
        await stack.ExecuteAsync("db1", "INSERT INTO r1.t VALUES (1), (2)", "CREATE TABLE r1.after_crash (id INT PRIMARY KEY)");

        var log = new MemoryStepLog();
        var result = await stack.NewTarget(stack.Topology, log).UpAsync();

        Assert.Equal(1, result.Started);
        Assert.Contains(log.Lines, l => l.Contains("db2 had stopped and was restarted", StringComparison.Ordinal));
        Assert.Equal("2", await stack.ScalarAsync("db2", "SELECT COUNT(*) FROM r1.t"));
        Assert.Equal(await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"), await stack.ScalarAsync("db2", "SELECT @@gtid_slave_pos"));
    }

    [MariaDbFact]
    public async Task Killed_primary_is_restarted_and_replicas_reconnect()
    {
        stack.Crash("db1");
        var result = await stack.NewTarget(stack.Topology).UpAsync();
        Assert.Equal(1, result.Started);

        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS r2", "CREATE TABLE r2.t (id INT PRIMARY KEY)", "INSERT INTO r2.t VALUES (7)");
        var gtid = await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos");
        foreach (var replica in new[] { "db2", "db3" })
        {
            Assert.Equal("0", await stack.ScalarAsync(replica, $"SELECT MASTER_GTID_WAIT('{gtid}', 20)"));
            Assert.Equal("7", await stack.ScalarAsync(replica, "SELECT id FROM r2.t"));
        }
    }

    [MariaDbFact]
    public async Task Down_keeps_data_and_up_brings_it_back()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS r3", "CREATE TABLE IF NOT EXISTS r3.t (id INT PRIMARY KEY)", "REPLACE INTO r3.t VALUES (42)");
        var pids = stack.Topology.Hosts.Select(h => stack.Pid(h.Name)).ToList();

        await stack.Target.DownAsync(purge: false, force: false);

        Assert.All(pids, pid => Assert.False(ProcessState.IsAlive(pid), $"pid {pid} still running after down"));
        var up = await stack.NewTarget(stack.Topology).UpAsync();
        Assert.Equal(3, up.Started);
        Assert.Equal("42", await stack.ScalarAsync("db3", "SELECT id FROM r3.t"));
    }

    [MariaDbFact]
    public async Task Purge_refuses_to_delete_user_databases_without_force()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS keepme");
        var error = await Assert.ThrowsAsync<HaInfra.Operations.OperationFailedException>(() => stack.Target.DownAsync(purge: true, force: false));
        Assert.Contains("db1:keepme", error.Problem);
        Assert.Contains("--force", error.Fix);
        Assert.True(Directory.Exists(stack.Target.Paths.Root));
        Assert.Equal(3, stack.Topology.Hosts.Count(h => stack.Pid(h.Name) > 0));
    }
}
