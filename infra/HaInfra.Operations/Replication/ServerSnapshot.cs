using HaInfra.Model;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Replication;

/// <summary>What one server says about itself and its replication, read in one probe.</summary>
public sealed record ServerSnapshot(
    string Name,
    ServerFlavor Flavor,
    ServerVersion Version,
    uint ServerId,
    bool ReadOnly,
    GtidPosition BinlogPos,
    GtidPosition BinlogState,
    GtidPosition SlavePos,
    GtidPosition CurrentPos,
    GtidPosition OldestBinlogStart,
    int UserTables,
    ReplicaChannel? Channel,
    SemiSyncState SemiSync)
{
    /// <summary>Where this server's data stands: per domain, the newer of what it applied and what it logged.</summary>
    public GtidPosition DataPosition =>
        GtidPosition.Of([.. SlavePos.Gtids, .. BinlogPos.Gtids]).PerDomain();
}

/// <summary>The replica side: SHOW SLAVE STATUS (or SHOW REPLICA STATUS), normalised.</summary>
public sealed record ReplicaChannel(
    string SourceHost,
    int SourcePort,
    string SourceUser,
    string IoRunning,
    bool SqlRunning,
    long? SecondsBehind,
    string UsingGtid,
    bool SslAllowed,
    int LastIoErrno,
    string? LastIoError,
    int LastSqlErrno,
    string? LastSqlError,
    GtidPosition IoPos,
    string? IoState = null)
{
    /// <summary>The IO thread cannot write its relay log: the replica's disk is full (it retries once space is freed).</summary>
    public bool WaitsForDiskSpace => IoState?.Contains("free space", StringComparison.OrdinalIgnoreCase) == true;

    public bool IoConnected => IoRunning == "Yes";

    public bool Running => IoConnected && SqlRunning;

    public bool PointsAt(string host, int port, string user) =>
        SourceHost == host && SourcePort == port && SourceUser == user;
}

public sealed record SemiSyncState(bool SourceEnabled, bool SourceActive, int SourceClients, bool ReplicaEnabled, bool ReplicaActive);
