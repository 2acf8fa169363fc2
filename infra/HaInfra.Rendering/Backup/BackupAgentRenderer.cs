using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Backups;

namespace HaInfra.Rendering.Backup;

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

/// <summary>
/// Renders the backup host's agent: the script, its settings, the recipients' public keys, and the systemd units
/// that schedule it (timers per backup kind, the binlog archive service). Only the backup host gets them.
/// </summary>
public static class BackupAgentRenderer
{
    public const string Script = "backup/agent";
    public const string Env = "backup/env";
    public const string Recipients = "backup/recipients";
    public const string Service = "backup/service";
    public const string Timer = "backup/timer";
    public const string ArchiveService = "backup/archive-service";

    /// <summary>mysqlbinlog registers with the primary like a replica, so it needs a server_id no real host has.</summary>
    public static uint ArchiveServerId(Host host) => 4_000_000_000u + host.ServerId;

    public static IReadOnlyList<RenderedFile> RenderAll(TemplateRenderer renderer, Topology topology, BackupStorage storage, string primaryAddress)
    {
        var policy = topology.Backup;
        var host = policy.BackupHost(topology);
        var files = new List<RenderedFile>
        {
            Render(renderer, Script, topology, host, "usr/local/sbin/hainfra-backup", []),
            Render(renderer, Env, topology, host, "etc/hainfra/backup.env", EnvView(topology, host, storage, primaryAddress)),
            Render(renderer, Recipients, topology, host, "etc/hainfra/backup-recipients.txt", new() { ["recipients"] = policy.Recipients.ToList() }),
            Render(renderer, Service, topology, host, "etc/systemd/system/hainfra-backup@.service", []),
        };
        foreach (var (kind, schedule) in new[] { ("full", policy.Schedules.Full), ("incremental", policy.Schedules.Incremental), ("logical", policy.Schedules.Logical) })
        {
            files.Add(Render(renderer, Timer, topology, host, $"etc/systemd/system/hainfra-backup-{kind}.timer",
                new() { ["kind"] = kind, ["schedule"] = schedule }));
        }

        if (policy.BinlogArchive)
        {
            files.Add(Render(renderer, ArchiveService, topology, host, "etc/systemd/system/hainfra-binlog-archive.service",
                new() { ["primary"] = topology.Primary.Name }));
        }

        return files;
    }

    private static Dictionary<string, object> EnvView(Topology topology, Host host, BackupStorage storage, string primaryAddress)
    {
        var policy = topology.Backup;
        return new()
        {
            ["serverId"] = host.ServerId.ToString(CultureInfo.InvariantCulture),
            ["destination"] = BackupSpellings.Destination.Of(policy.Destination),
            ["bucket"] = storage.Bucket,
            ["rclone"] = storage.Rclone.Select(kv => new Dictionary<string, object> { ["name"] = kv.Key, ["value"] = kv.Value }).ToList(),
            ["rcloneFlags"] = storage.RcloneFlags,
            ["compressionLevel"] = policy.CompressionLevel.ToString(CultureInfo.InvariantCulture),
            ["checksums"] = host.Role == HostRole.Replica ? "1" : "0",
            ["primary"] = topology.Primary.Name,
            ["primaryAddress"] = primaryAddress,
            ["archiveServerId"] = ArchiveServerId(host).ToString(CultureInfo.InvariantCulture),
            // Archived segments stay on the backup host a day as a second copy of the newest ones.
            ["binlogLocalKeepMinutes"] = "1440",
        };
    }

    private static RenderedFile Render(TemplateRenderer renderer, string template, Topology topology, Host host, string path, Dictionary<string, object> view)
    {
        var entry = renderer.Catalog.Get(template);
        view["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"backup host {host.Name} of stack {topology.Stack}");
        view["host"] = host.Name;
        view["stack"] = topology.Stack;
        view.TryAdd("primary", topology.Primary.Name);
        return new RenderedFile($"{host.Name}/{path}", renderer.Render(template, view), template);
    }
}
