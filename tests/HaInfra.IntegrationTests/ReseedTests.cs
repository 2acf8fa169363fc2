using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>`local reseed`: rebuild a replica in place, refusing the primary and (without --force) errant replicas.</summary>
public sealed class ReseedTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Reseed_refuses_the_primary()
    {
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => stack.Target.ReseedAsync("db1", new SeedOptions(), force: false));
        Assert.Contains("db1 is the primary", error.Problem);
        Assert.True(stack.Pid("db1") > 0);
    }

    [MariaDbFact]
    public async Task Not_enough_disk_fails_before_copying_and_leaves_the_replica_alone()
    {
        var pid = stack.Pid("db3");
        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            stack.Target.ReseedAsync("db3", new SeedOptions(DiskReserve: long.MaxValue / 4), force: false));

        Assert.Contains("Nothing was copied", error.Problem);
        Assert.Contains("free at", error.Problem);
        Assert.Equal(pid, stack.Pid("db3"));
        Assert.True(File.Exists(stack.Paths("db3").InitializedMarker));
    }

    [MariaDbFact]
    public async Task Errant_replica_needs_force_and_is_then_rebuilt_clean()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS rs", "CREATE TABLE IF NOT EXISTS rs.t (id INT PRIMARY KEY)", "REPLACE INTO rs.t VALUES (1)");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        await stack.ExecuteAsync("db2", "INSERT INTO rs.t VALUES (666)");
        var errantId = stack.Topology.Host("db2").ServerId;

        var refused = await Assert.ThrowsAsync<OperationFailedException>(() => stack.Target.ReseedAsync("db2", new SeedOptions(), force: false));
        Assert.Contains($"errant GTIDs 0-{errantId}-", refused.Problem);
        Assert.Contains("--force", refused.Fix);
        Assert.Equal("2", await stack.ScalarAsync("db2", "SELECT COUNT(*) FROM rs.t"));

        var log = new MemoryStepLog();
        var result = await stack.NewTarget(stack.Topology, log).ReseedAsync("db2", new SeedOptions(SeedMethod.Physical), force: true);

        Assert.Contains(log.Lines, l => l.StartsWith("warning: --force: discarding db2's errant transactions", StringComparison.Ordinal));
        Assert.Equal("db3", Assert.Single(result.Seeds).Donor);
        Assert.Equal("1", await stack.ScalarAsync("db2", "SELECT COUNT(*) FROM rs.t"));
        Assert.DoesNotContain($"-{errantId}-", await stack.ScalarAsync("db2", "SELECT @@gtid_binlog_state"), StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.StartsWith("checksum: db2 equals db3", StringComparison.Ordinal));
    }
}
