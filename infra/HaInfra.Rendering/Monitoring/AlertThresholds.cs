namespace HaInfra.Rendering.Monitoring;

/// <summary>
/// The thresholds of a stack's alert rules that are not in the topology itself: how old each kind of backup may get
/// (from its schedule, see BackupCadence), how old the newest restore verification may get, and where the data
/// disk is mounted (cloud hosts: /var/lib/mysql; the local target: the filesystem of its state directory).
/// </summary>
public sealed record AlertThresholds(IReadOnlyList<BackupAgeLimit> BackupAges, TimeSpan VerifyMaxAge, string DataMountpoint)
{
    /// <summary>A weekly verification plus a day of slack.</summary>
    public static readonly TimeSpan DefaultVerifyMaxAge = TimeSpan.FromDays(8);

    public const string CloudDataMountpoint = "/var/lib/mysql";
}

/// <summary>One backup-age alert: the newest backup of <paramref name="Kinds"/> may be at most <paramref name="MaxAge"/> old.</summary>
/// <param name="Alert">The alert's name.</param>
/// <param name="Kinds">The backup kinds that count (a restore point of the physical chain is a full or an incremental).</param>
/// <param name="What">What the summary calls it ("full backup").</param>
/// <param name="Why">How <paramref name="MaxAge"/> was derived, for the summary.</param>
/// <param name="Command">The hainfra backup verb that takes one now.</param>
public sealed record BackupAgeLimit(string Alert, IReadOnlyList<string> Kinds, string What, TimeSpan MaxAge, string Why, string Command);
