using System.Text.Json;
using HaInfra.Model.Backups;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Backups;

/// <summary>One object in backup storage.</summary>
public sealed record RemoteObject(string Key, long Size, DateTimeOffset Modified);

/// <summary>
/// Backup storage through rclone, configured the way the host agent is: an rclone remote named "backup" set up
/// entirely through RCLONE_CONFIG_BACKUP_* environment variables, so no config file and no credentials in argv.
/// </summary>
public sealed class Rclone
{
    private readonly BackupStorage _storage;

    public Rclone(BackupStorage storage) => _storage = storage;

    public string Location(string key) => $"backup:{_storage.Bucket}/{key}";

    /// <summary>
    /// Creates the bucket (the one request that overrides the remote's no_check_bucket); false while the server is not
    /// up. One attempt, failing fast: with rclone's default retries a refused connection kept this one call busy for
    /// over four minutes (measured), far past the caller's start timeout, which it only checks between calls.
    /// </summary>
    public async Task<bool> TryMkdirAsync(string bucket, CancellationToken ct) =>
        (await RunAsync(["mkdir", "--retries=1", "--low-level-retries=1", "--contimeout=2s", "--timeout=10s", "--s3-no-check-bucket=false", $"backup:{bucket}"], ct)).ExitCode == 0;

    public async Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken ct)
    {
        var result = await RunAsync(["lsjson", "--recursive", "--fast-list", "--files-only", Location(prefix)], ct);
        if (result.ExitCode != 0)
        {
            // A prefix that does not exist yet lists as an error on some backends; treat as empty.
            return result.Stderr.Contains("directory not found", StringComparison.OrdinalIgnoreCase) ? [] : throw Failure("list", prefix, result);
        }

        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(e =>
            new RemoteObject(
                $"{prefix.TrimEnd('/')}/{e.GetProperty("Path").GetString()}".TrimStart('/'),
                e.GetProperty("Size").GetInt64(),
                e.GetProperty("ModTime").GetDateTimeOffset()))];
    }

    public async Task<string> ReadTextAsync(string key, CancellationToken ct)
    {
        var result = await RunAsync(["cat", Location(key)], ct);
        return result.ExitCode == 0 ? result.Stdout : throw Failure("read", key, result);
    }

    public async Task DownloadAsync(string key, string file, CancellationToken ct)
    {
        var result = await RunAsync(["copyto", Location(key), file], ct);
        if (result.ExitCode != 0)
        {
            throw Failure("download", key, result);
        }
    }

    /// <summary>Copies every object whose key matches <paramref name="include"/> (rclone filter syntax) under <paramref name="localDir"/>.</summary>
    public async Task CopyMatchingAsync(string include, string localDir, CancellationToken ct)
    {
        // --fast-list: one recursive listing (fewer requests on real S3; s3rver's per-directory listing misses objects here).
        var result = await RunAsync(["copy", "--fast-list", "--include", include, Location(""), localDir], ct);
        if (result.ExitCode != 0)
        {
            throw Failure("copy", include, result);
        }
    }

    public async Task UploadAsync(string file, string key, CancellationToken ct)
    {
        var result = await RunAsync(["copyto", file, Location(key)], ct);
        if (result.ExitCode != 0)
        {
            throw Failure("upload", key, result);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var result = await RunAsync(["deletefile", Location(key)], ct);
        if (result.ExitCode != 0)
        {
            throw Failure("delete", key, result);
        }
    }

    /// <summary>The environment every process that reaches this storage runs with (rclone, or a shell pipeline around it).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Environment() =>
    [
        .. _storage.Rclone.Select(kv => new KeyValuePair<string, string?>($"RCLONE_CONFIG_BACKUP_{kv.Key}", kv.Value)),
        // rclone's S3 client cannot load a custom CA bundle through its own transport (the system store is used).
        new("AWS_CA_BUNDLE", null),
    ];

    private Task<ProcessResult> RunAsync(IEnumerable<string> args, CancellationToken ct) =>
        ProcessRunner.RunAsync("rclone", args.Prepend("--quiet"), ct, Environment());

    private static OperationFailedException Failure(string what, string key, ProcessResult result) => new(
        $"could not {what} backup:{key} (rclone exited with {result.ExitCode}): {result.Stderr.Trim()}",
        "check that the backup storage is reachable (local: ./hainfra local up starts it) and that the object exists.");
}
