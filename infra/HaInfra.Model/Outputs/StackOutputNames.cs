namespace HaInfra.Model.Outputs;

/// <summary>
/// Field names of a cloud stack's outputs document (`pulumi stack output --json`), which the `bootstrap` verb reads:
/// the synthesizers write them, operations read them, and both use these names.
/// </summary>
public static class StackOutputNames
{
    public const string Hosts = "hosts";
    public const string Name = "name";
    public const string Site = "site";

    /// <summary>
    /// A host's role when the stack was first realized (the config's order). Not the live role: after a switchover or
    /// failover the live primary is the recorded term (hainfra.term, `local status`), which outputs cannot follow.
    /// </summary>
    public const string InitialRole = "initialRole";

    public const string Region = "region";
    public const string Zone = "zone";
    public const string PrivateIp = "privateIp";
    public const string PrivateDns = "privateDns";
    public const string Port = "port";
    public const string Tls = "tls";

    /// <summary>The backup buckets: the primary region's (<see cref="BackupBucket"/>) and the DR region's copy (<see cref="OffsiteBucket"/>).</summary>
    public const string Buckets = "buckets";
    public const string BackupBucket = "backup";
    public const string OffsiteBucket = "offsite";

    /// <summary>azure: the storage accounts holding the backup and offsite containers (the buckets are the containers).</summary>
    public const string BackupAccount = "backupAccount";
    public const string OffsiteAccount = "offsiteAccount";

    /// <summary>The CA file replicas verify the primary's certificate with: a path on the database hosts.</summary>
    public const string CaFile = "caFile";

    /// <summary>The stack's CA certificate (PEM, public): operators verify every host's certificate against it.</summary>
    public const string CaCertificate = "caCertificate";
}
