using HaInfra.Model;
using HaInfra.Operations.Local;
using HaInfra.Operations;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>Adding a host to a topology that holds data: it is seeded from a donor while writes go on, and verified.</summary>
public sealed class SeedTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Physical_seed_of_a_new_host_from_its_sites_replica_while_writes_continue()
    {
        await SeedHelpers.LoadBulkAsync(stack, 20);
        var topology = SeedHelpers.WithHost(stack.Topology, "az2", "db4");
        var donorStateBefore = await stack.ScalarAsync("db2", "SELECT @@gtid_binlog_state");
        var log = new MemoryStepLog();
        UpResult result;
        long written;
        await using (var writer = await WriterLoop.StartAsync(stack))
        {
            result = await stack.NewTarget(topology, log).UpAsync(new SeedOptions(SeedMethod.Physical));
            written = writer.Written;
        }

        var seed = Assert.Single(result.Seeds);
        Assert.Equal(("db4", "db2", SeedMethod.Physical), (seed.Target, seed.Donor, seed.Method));
        Assert.False(seed.Gtid.IsEmpty);
        Assert.Contains(log.Lines, l => l.StartsWith("donor: db2 for db4 (physical seed): healthy replica in the target's own site az2", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("checksum: db4 equals db2 at GTID", StringComparison.Ordinal));
        Assert.True(written > 0, "the writer should have committed rows during the seed");

        await SeedHelpers.CatchUpAsync(stack, "db4");
        Assert.Equal(await SeedHelpers.CountAsync(stack, "db1", "writes.events"), await SeedHelpers.CountAsync(stack, "db4", "writes.events"));
        Assert.Equal(20000, await SeedHelpers.CountAsync(stack, "db4", "seedtest.bulk"));

        // The donor was only read: no GTID of its own in its binlog.
        var donorId = stack.Topology.Host("db2").ServerId;
        Assert.DoesNotContain($"-{donorId}-", await stack.ScalarAsync("db2", "SELECT @@gtid_binlog_state"), StringComparison.Ordinal);
        Assert.DoesNotContain($"-{donorId}-", donorStateBefore, StringComparison.Ordinal);
    }

    [MariaDbFact]
    public async Task Logical_seed_of_a_new_dr_host_loads_without_logging_and_matches()
    {
        var topology = SeedHelpers.WithHost(stack.Topology, "dr", "db5");
        var log = new MemoryStepLog();
        UpResult result;
        await using (await WriterLoop.StartAsync(stack))
        {
            result = await stack.NewTarget(topology, log).UpAsync(new SeedOptions(SeedMethod.Logical));
        }

        var seed = Assert.Single(result.Seeds);
        Assert.Equal(("db5", "db3", SeedMethod.Logical), (seed.Target, seed.Donor, seed.Method));
        Assert.Contains(log.Lines, l => l.StartsWith("checksum: db5 equals db3 at GTID", StringComparison.Ordinal));

        // Loaded with sql_log_bin=0: the new replica's binlog holds only what it replicated since, none of its own.
        var ownId = ServerIds.Derive("db5");
        Assert.DoesNotContain($"-{ownId}-", await stack.ScalarAsync("db5", "SELECT @@gtid_binlog_state"), StringComparison.Ordinal);
        await SeedHelpers.CatchUpAsync(stack, "db5");
        Assert.Equal(await SeedHelpers.CountAsync(stack, "db1", "writes.events"), await SeedHelpers.CountAsync(stack, "db5", "writes.events"));
    }

    [MariaDbFact]
    public async Task The_checksum_verification_names_a_replica_that_lacks_a_row_and_passes_once_it_is_back()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS verify_probe", "CREATE TABLE IF NOT EXISTS verify_probe.t (id INT PRIMARY KEY)",
            "REPLACE INTO verify_probe.t VALUES (1), (2), (3)");
        Assert.Equal("0", await stack.ScalarAsync("db2", $"SELECT MASTER_GTID_WAIT('{await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos")}', 30)"));
        var donor = SqlEndpoint.UnixSocket("db1", stack.Paths("db1").Socket);
        var replica = SqlEndpoint.UnixSocket("db2", stack.Paths("db2").Socket);
        var verifier = new ChecksumVerifier(new ServerConnector(), new MemoryStepLog());
        Assert.True(await verifier.VerifyAsync(donor, replica, CancellationToken.None) > 0);

        // A row lost on the replica alone (not logged: no GTID tells anyone), as a broken copy would lose it.
        await stack.ExecuteAsync("db2", "SET SESSION sql_log_bin = 0", "DELETE FROM verify_probe.t WHERE id = 2");
        try
        {
            var error = await Assert.ThrowsAsync<OperationFailedException>(() => verifier.VerifyAsync(donor, replica, CancellationToken.None));
            Assert.Contains("db2 differs from db1", error.Problem);
            Assert.Contains("`verify_probe`.`t`", error.Problem);
            Assert.Contains("rows 2 vs 3", error.Problem);
            Assert.Contains("local reseed db2", error.Fix);
        }
        finally
        {
            await stack.ExecuteAsync("db2", "SET SESSION sql_log_bin = 0", "INSERT IGNORE INTO verify_probe.t VALUES (2)");
        }

        Assert.True(await verifier.VerifyAsync(donor, replica, CancellationToken.None) > 0);
        // The verification resumes the replica's applier whatever it found.
        Assert.Equal("ON", await stack.ScalarAsync("db2", "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'"));
    }
}
