namespace HaInfra.Model.Backups;

/// <summary>
/// The backup agent's settings by name: the variables templates/backup/backup.env.sbn writes for a cloud host and
/// the local target overrides. Named once here; BackupAgentTests holds the rendered backup.env to this list.
/// </summary>
public static class AgentVariables
{
    /// <summary>Where the agent reads its settings, and the local target's override file read after it.</summary>
    public const string EnvFile = "HAINFRA_BACKUP_ENV";
    public const string EnvOverrideFile = "HAINFRA_BACKUP_ENV_OVERRIDE";

    public const string Stack = "HAINFRA_STACK";
    public const string Host = "HAINFRA_HOST";
    public const string ServerId = "HAINFRA_SERVER_ID";
    public const string Cli = "HAINFRA_CLI";
    public const string Remote = "BACKUP_REMOTE";
    public const string Bucket = "BACKUP_BUCKET";
    public const string RcloneExtraFlags = "RCLONE_EXTRA_FLAGS";
    public const string CompressionLevel = "COMPRESSION_LEVEL";
    public const string RecipientsFile = "RECIPIENTS_FILE";
    public const string MariaDbDefaults = "MARIADB_DEFAULTS";
    public const string MariaDbSocket = "MARIADB_SOCKET";
    public const string StateDir = "STATE_DIR";
    public const string MetricsDir = "METRICS_DIR";
    public const string Checksums = "CHECKSUMS";
    public const string PrimaryName = "PRIMARY_NAME";
    public const string PrimaryHost = "PRIMARY_HOST";
    public const string PrimaryPort = "PRIMARY_PORT";

    /// <summary>Every host's own address ("db1=host:port,db2=…"): the archive streams from the primary itself.</summary>
    public const string ArchiveSources = "ARCHIVE_SOURCES";
    public const string BinlogBasename = "BINLOG_BASENAME";
    public const string ArchiveClientCnf = "ARCHIVE_CLIENT_CNF";
    public const string ArchiveServerId = "ARCHIVE_SERVER_ID";
    public const string BinlogUploadSeconds = "BINLOG_UPLOAD_SECONDS";
    public const string BinlogLocalKeepMinutes = "BINLOG_LOCAL_KEEP_MINUTES";
    public const string ArchiveRotateSeconds = "ARCHIVE_ROTATE_SECONDS";

    /// <summary>Local target only (its override file): the bucket standing for the other region's copy.</summary>
    public const string OffsiteBucket = "OFFSITE_BUCKET";

    /// <summary>Every variable backup.env sets (the two file variables are the agent's environment, not its settings).</summary>
    public static readonly IReadOnlyList<string> InEnvFile =
    [
        Stack, Host, ServerId, Cli, Remote, Bucket, RcloneExtraFlags, CompressionLevel, RecipientsFile, MariaDbDefaults, MariaDbSocket,
        StateDir, MetricsDir, Checksums, PrimaryName, PrimaryHost, PrimaryPort, ArchiveSources, BinlogBasename, ArchiveClientCnf, ArchiveServerId,
        BinlogUploadSeconds, BinlogLocalKeepMinutes, ArchiveRotateSeconds,
    ];
}
