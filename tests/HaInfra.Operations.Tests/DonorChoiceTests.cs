using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Seeding;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

public class DonorChoiceTests
{
    // prod: prod-db-a1 (primary), prod-db-a2 (primary site), prod-db-b1, prod-db-c1 (same-city), prod-db-dr1/dr2 (remote).
    private readonly Topology _prod = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;

    [Fact]
    public void A_healthy_replica_in_the_targets_own_site_comes_first()
    {
        var donor = DonorChoice.Choose(_prod, _prod.Host("prod-db-dr2"), Healthy());
        Assert.Equal("prod-db-dr1", donor.Host.Name);
        Assert.Contains("own site prod-dr", donor.Why);
    }

    [Fact]
    public void Then_another_replica_outside_the_remote_region()
    {
        var donor = DonorChoice.Choose(_prod, _prod.Host("prod-db-b1"), Healthy());
        Assert.Equal("prod-db-a2", donor.Host.Name);
        Assert.Contains("none in prod-b", donor.Why);
    }

    [Fact]
    public void Unhealthy_replicas_are_skipped_and_named()
    {
        var snapshots = Healthy();
        snapshots["prod-db-dr1"] = Replica("prod-db-dr1", running: false);
        var donor = DonorChoice.Choose(_prod, _prod.Host("prod-db-dr2"), snapshots);
        Assert.Equal("prod-db-a2", donor.Host.Name);
        Assert.Contains("skipped prod-db-dr1 (replication stopped)", donor.Why);
    }

    [Fact]
    public void A_lagging_replica_is_not_a_donor()
    {
        var snapshots = Healthy();
        snapshots["prod-db-a2"] = Replica("prod-db-a2", lag: 600);
        var donor = DonorChoice.Choose(_prod, _prod.Host("prod-db-b1"), snapshots);
        Assert.Equal("prod-db-c1", donor.Host.Name);
        Assert.Contains("600 s behind", donor.Why);
    }

    [Fact]
    public void The_primary_is_the_last_resort()
    {
        var snapshots = _prod.Hosts.ToDictionary(h => h.Name, h => h.Role == HostRole.Primary ? Primary(h.Name) : null);
        var donor = DonorChoice.Choose(_prod, _prod.Host("prod-db-b1"), snapshots);
        Assert.Equal("prod-db-a1", donor.Host.Name);
        Assert.Contains("the primary", donor.Why);
    }

    [Fact]
    public void No_donor_at_all_is_a_clear_error()
    {
        var snapshots = _prod.Hosts.ToDictionary(h => h.Name, _ => (ServerSnapshot?)null);
        var error = Assert.Throws<OperationFailedException>(() => DonorChoice.Choose(_prod, _prod.Host("prod-db-b1"), snapshots));
        Assert.Contains("no server can donate", error.Problem);
    }

    private Dictionary<string, ServerSnapshot?> Healthy() =>
        _prod.Hosts.ToDictionary(h => h.Name, h => (ServerSnapshot?)(h.Role == HostRole.Primary ? Primary(h.Name) : Replica(h.Name)));

    private static ServerSnapshot Primary(string name) => Snapshot(name, null);

    private static ServerSnapshot Replica(string name, bool running = true, long lag = 0) => Snapshot(name, new ReplicaChannel(
        "127.0.0.1", 3306, "hainfra_repl", running ? "Yes" : "No", running, running ? lag : null, "Slave_Pos", true, 0, null, 0, null, GtidPosition.Empty));

    private static ServerSnapshot Snapshot(string name, ReplicaChannel? channel) => new(
        name, ServerFlavor.MariaDb, ServerVersion.Parse("10.11.19"), 1, channel is not null, GtidPosition.Empty, GtidPosition.Empty,
        GtidPosition.Empty, GtidPosition.Empty, GtidPosition.Empty, 0, channel, new SemiSyncState(false, false, 0, false, false));
}
