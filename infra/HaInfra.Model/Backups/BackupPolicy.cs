namespace HaInfra.Model.Backups;

/// <summary>Where backup objects go. The local target maps each to a real server on 127.0.0.1 (s3rver, azurite) or a directory.</summary>
public enum BackupDestination
{
    S3,
    AzureBlob,
    Directory,
}

/// <summary>Which host takes backups: a replica (default, keeps load off the primary) or the primary.</summary>
public enum BackupSource
{
    Replica,
    Primary,
}

/// <summary>
/// The stack's backup policy: what is taken when, from which host, how it is protected and how long it is
/// kept. Schedules are systemd OnCalendar expressions, because the host agent runs as systemd timers.
/// </summary>
public sealed record BackupPolicy(
    bool Enabled,
    BackupDestination Destination,
    BackupSource TakenFrom,
    string? Host,
    BackupSchedules Schedules,
    BackupRetention Retention,
    BackupLifecycle Lifecycle,
    int CompressionLevel,
    bool BinlogArchive,
    IReadOnlyList<string> Recipients,
    BackupObjectives Objectives)
{
    public static readonly BackupSchedules DefaultSchedules = new("Sun *-*-* 01:00:00", "Mon..Sat *-*-* 01:00:00", "Sat *-*-* 03:00:00");
    public static readonly BackupRetention DefaultRetention = new(FullDays: 365, IncrementalDays: 14, LogicalDays: 30, BinlogDays: 14);
    public static readonly BackupLifecycle DefaultLifecycle = new(FullToInfrequentAccessDays: 30, FullToArchiveDays: 90);
    public static readonly BackupObjectives DefaultObjectives = new(RpoSeconds: 60, RtoMinutes: 60);
    public const int DefaultCompressionLevel = 1;

    public static BackupPolicy Disabled(CloudKind cloud) => new(
        false, DestinationFor(cloud), BackupSource.Replica, null, DefaultSchedules, DefaultRetention, DefaultLifecycle,
        DefaultCompressionLevel, true, [], DefaultObjectives);

    public static BackupDestination DestinationFor(CloudKind cloud) =>
        cloud == CloudKind.Azure ? BackupDestination.AzureBlob : BackupDestination.S3;

    /// <summary>
    /// The host that takes backups: the named one; else, taking from replicas, the first replica of the primary
    /// site, then of a same-city site, then of a remote site (same-region replicas keep the upload in-region);
    /// the primary when there is no replica or the policy says so.
    /// </summary>
    public Host BackupHost(Topology topology)
    {
        if (Host is not null)
        {
            return topology.Host(Host);
        }

        if (TakenFrom == BackupSource.Primary)
        {
            return topology.Primary;
        }

        return topology.Sites
            .OrderBy(s => s.Kind)
            .SelectMany(s => s.Hosts)
            .FirstOrDefault(h => h.Role == HostRole.Replica) ?? topology.Primary;
    }
}

/// <summary>systemd OnCalendar expressions, e.g. "Sun *-*-* 01:00:00".</summary>
public sealed record BackupSchedules(string Full, string Incremental, string Logical)
{
    /// <summary>Each scheduled kind as it is spelled, with its calendar.</summary>
    public IEnumerable<(string Kind, string Calendar)> ByKind() => BackupSpellings.Scheduled.Select(k => (BackupSpellings.Kind.Of(k), k switch
    {
        BackupKind.Full => Full,
        BackupKind.Incremental => Incremental,
        _ => Logical,
    }));
}

/// <summary>Days each kind is kept. A full backup is kept at least as long as the incrementals built on it.</summary>
public sealed record BackupRetention(int FullDays, int IncrementalDays, int LogicalDays, int BinlogDays);

/// <summary>When full backups move to cheaper object storage classes (S3 STANDARD_IA, then GLACIER; Azure cool, then archive).</summary>
public sealed record BackupLifecycle(int FullToInfrequentAccessDays, int FullToArchiveDays);

/// <summary>Recovery point and recovery time objectives the backups are judged against.</summary>
public sealed record BackupObjectives(int RpoSeconds, int RtoMinutes);

/// <summary>What an object in backup storage is: the three scheduled kinds and archived binlog segments.</summary>
public enum BackupKind
{
    Full,
    Incremental,
    Logical,
    Binlog,
}

public static class BackupSpellings
{
    /// <summary>How kinds are written everywhere: manifests, schedules, the agent's argument, IAM prefixes.</summary>
    public static readonly Spelling<BackupKind> Kind = new(
        (BackupKind.Full, "full"),
        (BackupKind.Incremental, "incremental"),
        (BackupKind.Logical, "logical"),
        (BackupKind.Binlog, "binlog"));

    /// <summary>The kinds a schedule takes (binlog segments are uploaded as they close, not on a calendar).</summary>
    public static readonly IReadOnlyList<BackupKind> Scheduled = [BackupKind.Full, BackupKind.Incremental, BackupKind.Logical];

    public static readonly Spelling<BackupDestination> Destination = new(
        (BackupDestination.S3, "s3"),
        (BackupDestination.AzureBlob, "azure-blob"),
        (BackupDestination.Directory, "directory"));

    public static readonly Spelling<BackupSource> Source = new(
        (BackupSource.Replica, "replica"),
        (BackupSource.Primary, "primary"));
}
