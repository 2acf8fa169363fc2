using System.Diagnostics;
using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's object storage for backups: a real S3-compatible server (s3rver) or Azure-compatible
/// server (azurite) on 127.0.0.1, or a plain directory, matching the stack's destination. The servers come from
/// tools/storage (npm); their credentials are the emulators' published development defaults, not secrets.
/// </summary>
public sealed class LocalStorage
{
    public const string Bucket = "backups";

    /// <summary>The bucket standing for the other region's copy (a cloud's replicated offsite bucket).</summary>
    public const string OffsiteBucket = "offsite";
    private const string S3Credential = "S3RVER";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly BackupDestination _destination;
    private readonly LocalPaths _paths;
    private readonly string _toolsDir;
    private readonly int _port;

    public LocalStorage(BackupDestination destination, LocalPaths paths, string repoRoot, int port)
    {
        _destination = destination;
        _paths = paths;
        _toolsDir = Path.Combine(repoRoot, "tools", "storage");
        _port = port;
    }

    private string Dir => Path.Combine(_paths.Root, "storage");

    private string PidFile => Path.Combine(Dir, "server.pid");

    /// <summary>The S3 server's log of every request it received ("METHOD /bucket/key?query"), oldest first.</summary>
    public string RequestLog => Path.Combine(Dir, "requests.log");

    private string DataDir => Path.Combine(Dir, _destination == BackupDestination.AzureBlob ? "azure" : "s3");

    /// <summary>The rclone remote the agent and the operator verbs use to reach this storage.</summary>
    public BackupStorage Remote => _destination switch
    {
        BackupDestination.S3 => new BackupStorage(Bucket,
        [
            new("TYPE", "s3"), new("PROVIDER", "Other"), new("ENDPOINT", $"http://127.0.0.1:{_port}"),
            new("ACCESS_KEY_ID", S3Credential), new("SECRET_ACCESS_KEY", S3Credential), new("FORCE_PATH_STYLE", "true"),
            .. BackupStorage.HostS3Settings,
        ], BackupStorage.S3Flags),
        BackupDestination.AzureBlob => new BackupStorage(Bucket,
            [new("TYPE", "azureblob"), new("USE_EMULATOR", "true"), new("ENDPOINT", $"http://127.0.0.1:{_port}/devstoreaccount1")], ""),
        _ => BackupStorage.Directory(Path.Combine(Dir, "directory")),
    };

    /// <summary>The offsite bucket as the remote names it (a directory destination: a sibling directory).</summary>
    public string OffsiteRemoteBucket => _destination == BackupDestination.Directory ? Path.Combine(Dir, OffsiteBucket) : OffsiteBucket;

    public string Describe => _destination == BackupDestination.Directory
        ? $"directory {Remote.Bucket}"
        : $"{(_destination == BackupDestination.S3 ? "s3rver (S3 API)" : "azurite (Azure Blob API)")} on 127.0.0.1:{_port}, bucket '{Bucket}'";

    public bool IsRunning => _destination == BackupDestination.Directory || Daemon.RunningPid(PidFile, DataDir) is not null;

    /// <summary>Starts the storage server when it is not running and makes sure the bucket exists; returns true if it started it.</summary>
    public async Task<bool> EnsureRunningAsync(Rclone rclone, CancellationToken ct)
    {
        if (_destination == BackupDestination.Directory)
        {
            Directory.CreateDirectory(Remote.Bucket);
            Directory.CreateDirectory(OffsiteRemoteBucket);
            return false;
        }

        if (IsRunning)
        {
            // A storage started before the offsite bucket existed gets it now.
            await rclone.TryMkdirAsync(OffsiteBucket, ct);
            return false;
        }

        await InstallAsync(ct);
        Directory.CreateDirectory(DataDir);
        var (program, args) = _destination == BackupDestination.S3
            ? ("node", new[] { Path.Combine(_toolsDir, "s3-server.js"), $"{_port}", DataDir, RequestLog })
            : (Path.Combine(_toolsDir, "node_modules", ".bin", "azurite-blob"),
                new[] { "--blobHost", "127.0.0.1", "--blobPort", $"{_port}", "--location", DataDir, "--silent", "--skipApiVersionCheck", "--loose" });
        await Daemon.SpawnAsync(program, args, PidFile, Path.Combine(Dir, "server.log"));
        var clock = Stopwatch.StartNew();
        while (!await rclone.TryMkdirAsync(Bucket, ct) || !await rclone.TryMkdirAsync(OffsiteBucket, ct))
        {
            if (clock.Elapsed > StartTimeout)
            {
                throw new OperationFailedException(
                    $"the local storage server did not come up on 127.0.0.1:{_port} within {StartTimeout.TotalSeconds:0} s.",
                    $"read {Path.Combine(Dir, "server.log")}; check that the port is free and that tools/storage is installed (scripts/install-node-tools storage).");
            }

            await Task.Delay(100, ct);
        }

        return true;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_destination != BackupDestination.Directory)
        {
            await Daemon.StopAsync(PidFile, DataDir, TimeSpan.FromSeconds(30), ct);
        }
    }

    private async Task InstallAsync(CancellationToken ct)
    {
        if (File.Exists(Path.Combine(_toolsDir, "node_modules", ".bin", "s3rver")))
        {
            return;
        }

        var script = Path.Combine(Path.GetDirectoryName(_toolsDir)!, "..", "scripts", "install-node-tools");
        if (await ProcessRunner.RunOnTerminalAsync(script, ["storage"], ct) != 0)
        {
            throw new OperationFailedException("installing the local storage servers (npm ci in tools/storage) failed.",
                "check network access to the npm registry, then run scripts/install-node-tools storage.");
        }
    }
}
