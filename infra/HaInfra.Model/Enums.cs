namespace HaInfra.Model;

/// <summary>Where a site stands relative to the primary: its own site, the same city, or another region.</summary>
public enum SiteKind
{
    Primary,
    SameCity,
    Remote,
}

/// <summary>How a site's replicas acknowledge the primary's commits.</summary>
public enum ReplicationMode
{
    SemiSync,
    Async,

    /// <summary>The site's hosts are nodes of the stack's Galera cluster (method: galera): every commit is certified by all nodes.</summary>
    Galera,
}

public enum ServerFlavor
{
    MariaDb,
    MySql,
}

/// <summary>The shape of the writable tier. Only a single primary is bootstrapped today.</summary>
public enum ReplicationMethod
{
    PrimaryReplica,
    ActivePassivePair,

    /// <summary>Synchronous multi-master (MariaDB Galera) over the primary and same-city sites; remote sites replicate asynchronously.</summary>
    Galera,
}

/// <summary>When a semi-sync primary waits for the replica's ack: before (AFTER_SYNC) or after the engine commit.</summary>
public enum SemiSyncWaitPoint
{
    AfterSync,
    AfterCommit,
}

/// <summary>How a new replica gets its initial copy of the data.</summary>
public enum SeedMethod
{
    /// <summary>mariabackup streamed from a donor: fast, exact, same server version only.</summary>
    Physical,

    /// <summary>mariadb-dump from a donor: slow, but crosses versions and flavours.</summary>
    Logical,
}

public enum CloudKind
{
    Aws,
    Azure,
}

public enum HostRole
{
    Primary,
    Replica,
}

public static class Spellings
{
    public static readonly Spelling<SiteKind> SiteKind = new(
        (Model.SiteKind.Primary, "primary"),
        (Model.SiteKind.SameCity, "same-city"),
        (Model.SiteKind.Remote, "remote"));

    public static readonly Spelling<ReplicationMode> ReplicationMode = new(
        (Model.ReplicationMode.SemiSync, "semi-sync"),
        (Model.ReplicationMode.Async, "async"),
        (Model.ReplicationMode.Galera, "galera"));

    public static readonly Spelling<ServerFlavor> Flavor = new(
        (ServerFlavor.MariaDb, "mariadb"),
        (ServerFlavor.MySql, "mysql"));

    public static readonly Spelling<ReplicationMethod> Method = new(
        (ReplicationMethod.PrimaryReplica, "primary-replica"),
        (ReplicationMethod.ActivePassivePair, "active-passive"),
        (ReplicationMethod.Galera, "galera"));

    public static readonly Spelling<SemiSyncWaitPoint> WaitPoint = new(
        (SemiSyncWaitPoint.AfterSync, "after-sync"),
        (SemiSyncWaitPoint.AfterCommit, "after-commit"));

    /// <summary>The server's own spelling (rpl_semi_sync_master_wait_point).</summary>
    public static readonly Spelling<SemiSyncWaitPoint> WaitPointServer = new(
        (SemiSyncWaitPoint.AfterSync, "AFTER_SYNC"),
        (SemiSyncWaitPoint.AfterCommit, "AFTER_COMMIT"));

    public static readonly Spelling<SeedMethod> SeedMethod = new(
        (Model.SeedMethod.Physical, "physical"),
        (Model.SeedMethod.Logical, "logical"));

    public static readonly Spelling<CloudKind> Cloud = new(
        (CloudKind.Aws, "aws"),
        (CloudKind.Azure, "azure"));

    public static readonly Spelling<HostRole> Role = new(
        (HostRole.Primary, "primary"),
        (HostRole.Replica, "replica"));
}
