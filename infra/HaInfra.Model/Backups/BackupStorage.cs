namespace HaInfra.Model.Backups;

/// <summary>Where the agent stores objects: the bucket (or directory) and the rclone remote settings for it.</summary>
/// <param name="Bucket">S3 bucket, Azure container, or directory path.</param>
/// <param name="Rclone">RCLONE_CONFIG_BACKUP_* settings (names without the prefix); never credentials.</param>
public sealed record BackupStorage(string Bucket, IReadOnlyList<KeyValuePair<string, string>> Rclone, string RcloneFlags)
{
    /// <summary>S3 from a cloud host: the instance profile's credentials, the bucket's default encryption.</summary>
    public static BackupStorage S3(string bucket, string region) => new(bucket,
    [
        new("TYPE", "s3"), new("PROVIDER", "AWS"), new("ENV_AUTH", "true"), new("REGION", region), .. HostS3Settings,
    ], S3Flags);

    /// <summary>
    /// What every S3 remote of a backup host sets, in the cloud and on the local target alike. The bucket exists
    /// already (Pulumi or `local up` made it) and a host's role may not create buckets, so rclone must not try.
    /// Small objects are not read back after their PUT: S3 checks their Content-MD5, and the manifest's sha256
    /// covers the rest. (A streamed upload is still read back with HEAD, which S3 authorizes as s3:GetObject.)
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> HostS3Settings = [new("NO_CHECK_BUCKET", "true"), new("NO_HEAD", "true")];

    /// <summary>Azure Blob from a cloud host: its managed identity.</summary>
    public static BackupStorage AzureBlob(string account, string container) => new(container,
        [new("TYPE", "azureblob"), new("ACCOUNT", account), new("USE_MSI", "true")], "");

    public static BackupStorage Directory(string path) => new(path, [new("TYPE", "local")], "");

    /// <summary>The same S3 storage behind another endpoint (an S3-compatible store): path-style addressing, no AWS provider quirks.</summary>
    public BackupStorage AtEndpoint(string endpoint) => this with
    {
        Rclone = [.. Rclone.Where(s => s.Key is not ("PROVIDER" or "ENDPOINT" or "FORCE_PATH_STYLE")),
            new("PROVIDER", "Other"), new("ENDPOINT", endpoint), new("FORCE_PATH_STYLE", "true")],
    };

    /// <summary>Bigger parts and parallel part uploads: a single stream uploads several times faster.</summary>
    public const string S3Flags = "--s3-chunk-size=16M --s3-upload-concurrency=4";
}
