namespace HaInfra.Model.Config;

/// <summary>The hainfra:* keys and the keys allowed inside each structured value.</summary>
internal static class ConfigKeys
{
    public const string Cloud = "hainfra:cloud";
    public const string Flavor = "hainfra:flavor";
    public const string Version = "hainfra:version";
    public const string Replication = "hainfra:replication";
    public const string Tls = "hainfra:tls";
    public const string Sites = "hainfra:sites";
    public const string Backup = "hainfra:backup";
    public const string Local = "hainfra:local";
    public const string Network = "hainfra:network";
    public const string Failover = "hainfra:failover";

    public static readonly string[] TopLevel = [Cloud, Flavor, Version, Replication, Tls, Sites, Backup, Local, Network, Failover];

    public static readonly string[] FailoverKeys = ["auto", "checkIntervalMs", "failureCount", "deadlineSeconds", "antiFlapMinutes", "maxLagSeconds", "neverPromote"];

    public static readonly string[] ReplicationKeys = ["method", "semiSyncWaitPoint", "semiSyncTimeoutMs", "parallelWorkers", "seedMethod", "arbitrator"];

    public static readonly string[] SiteKeys = ["name", "kind", "region", "zones", "replication", "allowSemiSyncOverWan", "allowGaleraOverWan", "hosts"];

    public static readonly string[] HostKeys = ["name", "size", "dataDiskGb", "dataDiskIops", "dataDiskThroughputMbps", "serverId", "zone"];

    public static readonly string[] BackupKeys =
        ["enabled", "destination", "takenFrom", "host", "schedules", "retention", "lifecycle", "compressionLevel", "binlogArchive", "recipients", "objectives"];

    public static readonly string[] BackupScheduleKeys = [.. Backups.BackupSpellings.Scheduled.Select(Backups.BackupSpellings.Kind.Of)];

    public static readonly string[] BackupRetentionKeys = ["fullDays", "incrementalDays", "logicalDays", "binlogDays"];

    public static readonly string[] BackupLifecycleKeys = ["fullToInfrequentAccessDays", "fullToArchiveDays"];

    public static readonly string[] BackupObjectiveKeys = ["rpoSeconds", "rtoMinutes"];

    public static readonly string[] LocalKeys = ["basePort", "bufferPoolMb", "siteNamespaces"];

    public static readonly string[] NetworkKeys = ["applicationCidrs", "vpcCidrs", "dnsZone", "adminSshPublicKey"];
}
