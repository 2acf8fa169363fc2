namespace HaInfra.Model.Config;

// The stack file as written: every field nullable, nothing checked yet. Validation reads these; only a clean
// DTO is turned into a Topology. Each Path is the config path used in error messages.

public sealed record TopologyDto(
    string Stack,
    string? Cloud,
    string? Flavor,
    string? Version,
    ReplicationDto? Replication,
    bool? Tls,
    IReadOnlyList<SiteDto>? Sites,
    BackupDto? Backup,
    LocalDto? Local,
    NetworkDto? Network,
    FailoverDto? Failover = null);

public sealed record ReplicationDto(string? Method, string? WaitPoint, int? SemiSyncTimeoutMs, int? ParallelWorkers, string? SeedMethod, string? Arbitrator = null);

public sealed record SiteDto(
    string Path,
    string? Name,
    string? Kind,
    string? Region,
    IReadOnlyList<string>? Zones,
    string? Replication,
    bool? AllowSemiSyncOverWan,
    IReadOnlyList<HostDto>? Hosts,
    bool? AllowGaleraOverWan = null);

public sealed record HostDto(
    string Path, string? Name, string? Size, int? DataDiskGb, long? ServerId, string? Zone, int? DataDiskIops, int? DataDiskThroughputMbps);

public sealed record BackupDto(
    bool? Enabled,
    string? Destination,
    string? TakenFrom,
    string? Host,
    BackupSchedulesDto? Schedules,
    BackupRetentionDto? Retention,
    BackupLifecycleDto? Lifecycle,
    int? CompressionLevel,
    bool? BinlogArchive,
    IReadOnlyList<string>? Recipients,
    BackupObjectivesDto? Objectives);

public sealed record BackupSchedulesDto(string? Full, string? Incremental, string? Logical);

public sealed record BackupRetentionDto(int? FullDays, int? IncrementalDays, int? LogicalDays, int? BinlogDays);

public sealed record BackupLifecycleDto(int? FullToInfrequentAccessDays, int? FullToArchiveDays);

public sealed record BackupObjectivesDto(int? RpoSeconds, int? RtoMinutes);

public sealed record FailoverDto(
    bool? Auto, int? CheckIntervalMs, int? FailureCount, int? DeadlineSeconds, int? AntiFlapMinutes, int? MaxLagSeconds, IReadOnlyList<string>? NeverPromote);

public sealed record LocalDto(int? BasePort, int? BufferPoolMb, bool? SiteNamespaces = null);

/// <summary>hainfra:network; <paramref name="VpcCidrs"/> maps a region to its VPC's CIDR, in the order written.</summary>
public sealed record NetworkDto(
    IReadOnlyList<string>? ApplicationCidrs, IReadOnlyList<KeyValuePair<string, string>>? VpcCidrs, string? DnsZone, string? AdminSshPublicKey = null);
