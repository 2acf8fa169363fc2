using HaInfra.Model;
using HaInfra.Operations.Local;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The local stack without its DR site: a primary and one semi-sync replica, so the primary is the only donor.</summary>
public sealed class PrimaryAndOneReplicaServers() : LocalStackFixture("local")
{
    protected override Topology Adjust(Topology topology) => topology with { Sites = [.. topology.Sites.Where(s => s.Kind != SiteKind.Remote)] };
}

/// <summary>
/// Seeding from the primary leaves semi-sync replication working. The checksum verification used to run the replica
/// with a GTID UNTIL, and MariaDB 10.11 left the primary's semi-sync dump thread for it hanging in "Waiting to finalize
/// termination": the replica looked fine, but no event reached it and the primary fell back to async.
/// </summary>
public sealed class PrimaryDonorTests(PrimaryAndOneReplicaServers stack) : IClassFixture<PrimaryAndOneReplicaServers>
{
    [MariaDbFact]
    public async Task Seeding_from_the_primary_keeps_the_semi_sync_replica_connected_and_replicating()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS pd", "CREATE TABLE IF NOT EXISTS pd.t (id INT PRIMARY KEY)",
            "INSERT INTO pd.t SELECT seq FROM pd.seq_1_to_1000");

        foreach (var method in new[] { SeedMethod.Physical, SeedMethod.Logical })
        {
            var result = await stack.Target.ReseedAsync("db2", new SeedOptions(method), force: false);
            Assert.Equal(("db2", "db1"), (result.Seeds.Single().Target, result.Seeds.Single().Donor));

            // A write after the seed is acknowledged by the replica (not a 5 s semi-sync timeout) and applied there.
            await stack.ExecuteAsync("db1", $"INSERT INTO pd.t VALUES ({2000 + (int)method})");
            Assert.Equal("1", await stack.ScalarAsync("db1", "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_CLIENTS'"));
            Assert.Equal("ON", await stack.ScalarAsync("db1", "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS'"));
            await SeedHelpers.CatchUpAsync(stack, "db2");
            Assert.Equal("1", await stack.ScalarAsync("db2", $"SELECT COUNT(*) FROM pd.t WHERE id = {2000 + (int)method}"));
        }
    }
}
