using System.Diagnostics;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Backups;

/// <summary>
/// Restores one backup into a scratch server: a physical chain is downloaded, checked, decrypted and extracted
/// link by link, prepared (full, then each incremental applied), and started; a logical dump is loaded into a
/// fresh server with binary logging off for the load.
/// </summary>
public sealed class BackupRestorer
{
    private const string PrepareMemory = "256M";

    private readonly BackupFetcher _fetcher;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public BackupRestorer(BackupFetcher fetcher, ISqlConnector connector, IStepLog log)
    {
        _fetcher = fetcher;
        _connector = connector;
        _log = log;
    }

    /// <param name="checkDigest">Count and hash the stored bytes while streaming and compare them with the manifest (verify).</param>
    /// <param name="streamed">Called once the backup's bytes are in, before the prepare and the server start, which
    /// leave CPU free for other work (a point-in-time restore fetches its binlog segments then).</param>
    public async Task<ScratchServer> RestoreAsync(
        BackupCatalog catalog, BackupManifest backup, string dir, bool checkDigest, CancellationToken ct, Action? streamed = null)
    {
        var clock = Stopwatch.StartNew();
        ScratchServer server;
        if (backup.IsPhysical)
        {
            var chain = catalog.ChainOf(backup);
            await PrepareDataAsync(catalog, backup, dir, checkDigest, ct, streamed);
            server = await ScratchServer.StartAsync($"restore of {backup.Id}", dir, initialize: false, ct);
            _log.Step("restore", $"{backup.Id}: chain of {chain.Count} ({string.Join(" + ", chain.Select(c => c.Kind))}) streamed, decrypted{(checkDigest ? ", sha256 checked" : "")}, prepared, started in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            streamed?.Invoke();
            server = await ScratchServer.StartAsync($"restore of {backup.Id}", dir, initialize: true, ct);
            await _fetcher.RestoreStreamAsync(backup,
                new CommandSpec("mariadb", ["--user=root", $"--socket={server.Paths.Socket}", "--init-command=SET SESSION sql_log_bin=0", "--max-allowed-packet=1G"]),
                checkDigest, ct);
            await using var client = await _connector.ConnectAsync(server.Admin, ct);
            await client.ExecuteAsync("FLUSH NO_WRITE_TO_BINLOG PRIVILEGES", ct);
            _log.Step("restore", $"{backup.Id}: dump streamed, decrypted{(checkDigest ? ", sha256 checked" : "")}, loaded in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        return server;
    }

    /// <summary>A physical backup's chain streamed into <paramref name="dir"/>/data and prepared, not started; returns the datadir.</summary>
    public async Task<string> PrepareDataAsync(BackupCatalog catalog, BackupManifest backup, string dir, bool checkDigest, CancellationToken ct, Action? streamed = null)
    {
        var chain = catalog.ChainOf(backup);
        var data = Path.Combine(dir, "data");
        for (var i = 0; i < chain.Count; i++)
        {
            var target = i == 0 ? data : Path.Combine(dir, $"incremental-{i}");
            Directory.CreateDirectory(target);
            await _fetcher.RestoreStreamAsync(chain[i], new CommandSpec("mbstream", ["-x", "-C", target]), checkDigest, ct);
        }

        streamed?.Invoke();
        await PrepareAsync(["--prepare", $"--target-dir={data}", $"--use-memory={PrepareMemory}"], ct);
        for (var i = 1; i < chain.Count; i++)
        {
            await PrepareAsync(["--prepare", $"--target-dir={data}", $"--incremental-dir={Path.Combine(dir, $"incremental-{i}")}", $"--use-memory={PrepareMemory}"], ct);
            Directory.Delete(Path.Combine(dir, $"incremental-{i}"), recursive: true);
        }

        return data;
    }

    private static async Task PrepareAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var prepare = await ProcessRunner.RunAsync("mariabackup", args, ct);
        if (prepare.ExitCode != 0)
        {
            var tail = string.Join("\n", prepare.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
            throw new OperationFailedException($"mariabackup --prepare failed (exit {prepare.ExitCode}):\n{tail}",
                "the chain may be inconsistent (an incremental applied to the wrong base); verify each backup of the chain.");
        }
    }
}
