using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Tests;

public class StartPositionPolicyTests
{
    private static readonly ReplicationSource Wanted = new("127.0.0.1", 3306, "hainfra_repl", new Secret("x"), null);

    [Fact]
    public void Fresh_replica_of_a_fresh_primary_starts_at_the_beginning()
    {
        var action = StartPositionPolicy.Decide(Snapshot("r"), Snapshot("p", binlog: "0-1-5"), Wanted);
        var configure = Assert.IsType<ReplicaAction.Configure>(action);
        Assert.True(configure.From.IsEmpty);
        Assert.False(configure.SetSlavePos);
    }

    [Fact]
    public void Replica_already_replicating_is_kept()
    {
        var replica = Snapshot("r", binlog: "0-1-5", slave: "0-1-5", channel: Channel(running: true));
        Assert.IsType<ReplicaAction.Keep>(StartPositionPolicy.Decide(replica, Snapshot("p", binlog: "0-1-6"), Wanted));
    }

    [Fact]
    public void Replica_pointing_elsewhere_is_repointed_from_its_own_position()
    {
        var replica = Snapshot("r", binlog: "0-1-5", slave: "0-1-5", channel: Channel(running: true) with { SourceHost = "10.0.0.9" });
        var configure = Assert.IsType<ReplicaAction.Configure>(StartPositionPolicy.Decide(replica, Snapshot("p", binlog: "0-1-6"), Wanted));
        Assert.Equal("0-1-5", configure.From.ToString());
        Assert.True(configure.HadChannel);
    }

    [Fact]
    public void Replica_ahead_of_the_source_is_refused()
    {
        var replica = Snapshot("r", binlog: "0-1-9", slave: "0-1-9");
        var refuse = Assert.IsType<ReplicaAction.Refuse>(StartPositionPolicy.Decide(replica, Snapshot("p", binlog: "0-1-6"), Wanted));
        Assert.Contains("errant", refuse.Why);
    }

    [Fact]
    public void Errant_transactions_are_named()
    {
        var replica = Snapshot("r", binlog: "0-1-5,0-2-6");
        var refuse = Assert.IsType<ReplicaAction.Refuse>(StartPositionPolicy.Decide(replica, Snapshot("p", binlog: "0-1-7"), Wanted));
        Assert.Contains("0-2-6", refuse.Why);
    }

    private static ReplicaChannel Channel(bool running) => new(
        "127.0.0.1", 3306, "hainfra_repl", running ? "Yes" : "No", running, 0, "Slave_Pos", false, 0, null, 0, null, GtidPosition.Empty);

    private static ServerSnapshot Snapshot(string name, string binlog = "", string slave = "", ReplicaChannel? channel = null, int tables = 0) => new(
        name, ServerFlavor.MariaDb, ServerVersion.Parse("10.11.19"), 1, channel is not null,
        GtidPosition.Parse(binlog).PerDomain(), GtidPosition.Parse(binlog), GtidPosition.Parse(slave), GtidPosition.Parse(slave),
        GtidPosition.Empty, tables, channel, new SemiSyncState(false, false, 0, false, false));
}
