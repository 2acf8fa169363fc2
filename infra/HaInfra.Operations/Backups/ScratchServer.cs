using HaInfra.Operations.Local;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Backups;

/// <summary>
/// A throwaway MariaDB server on a restored datadir: socket only (no TCP), no replication, small memory. Used to
/// prove a backup restores to a server that starts and holds the data, and as the target of point-in-time restores.
/// </summary>
public sealed class ScratchServer : IAsyncDisposable
{
    private readonly LocalServer _server;

    private ScratchServer(LocalServer server) => _server = server;

    public HostPaths Paths => _server.Paths;

    public SqlEndpoint Admin => _server.Admin;

    /// <summary>Starts a server on <paramref name="dir"/>/data (already restored, or initialized when <paramref name="initialize"/>).</summary>
    public static async Task<ScratchServer> StartAsync(string name, string dir, bool initialize, CancellationToken ct)
    {
        var paths = new HostPaths(dir);
        Directory.CreateDirectory(paths.TmpDir);
        var user = Environment.IsPrivilegedProcess ? "user = root\n" : "";
        // Binary logging with GTIDs, so the server reports its position and can serve replicas; a point-in-time
        // restore applies archived segments as this server's relay log (RelayLogReplay) and sets that position.
        var cnf = $"# Scratch server for {name}, written by HaInfra.\n[mysqld]\n{user}datadir = {paths.DataDir}\nsocket = {paths.Socket}\n" +
            $"pid_file = {paths.PidFile}\nlog_error = {paths.ErrorLog}\ntmpdir = {paths.TmpDir}\nskip_networking = ON\nserver_id = 1\n" +
            $"log_bin = mysql-bin\nrelay_log = {RelayLogReplay.RelayLogName}\ngtid_strict_mode = ON\n" +
            $"innodb_buffer_pool_size = {PoolBytes(paths.DataDir)}\n" +
            // A replay's page writes wait for checkpoints when the redo log is small: 256M instead of 48M cut the
            // server's CPU for bench/backup's replay by a quarter (measured), at no cost to its start.
            "innodb_log_file_size = 256M\n" +
            // The restore has just written the datadir through the page cache (mbstream, then the prepare), so
            // buffered reads find a replay's pages in memory; O_DIRECT, the default, reads each one from the disk
            // again. bench/backup's replay (about 7,000 page reads), four runs each: median 1.9 s and 2.0-2.2 s of
            // server CPU, against 2.6 s and 2.9-3.4 s with O_DIRECT (measured).
            "innodb_flush_method = fsync\n";
        await File.WriteAllTextAsync(paths.LocalCnf, cnf, ct);
        var server = new LocalServer(name, paths, MariaDbBinaries.Require());
        if (initialize)
        {
            await server.InitializeAsync(ct);
        }

        await server.StartAsync(ct);
        return new ScratchServer(server);
    }

    public async ValueTask DisposeAsync() => await _server.StopAsync(CancellationToken.None);

    /// <summary>
    /// The buffer pool: the restored data's size rounded up to 128 MiB (256 MiB at least), at most a quarter of the
    /// memory available now. A replay's writes land all over the data; a pool smaller than it reads and evicts pages
    /// again and again (bench/backup's replay: a quarter less server CPU with the data in memory).
    /// </summary>
    private static long PoolBytes(string dataDir)
    {
        const long Chunk = 128L << 20;
        var data = Directory.Exists(dataDir) ? new DirectoryInfo(dataDir).EnumerateFiles("*.ibd", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        var quarter = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024 / 4;
        return Math.Max(2 * Chunk, Math.Min((data + Chunk - 1) / Chunk * Chunk, quarter / Chunk * Chunk));
    }

    /// <summary>
    /// Stops a scratch server still running from <paramref name="dir"/>: one whose command was killed before it could
    /// stop it (the reliability suite's interrupted verify and restore found them left running). Returns the stopped
    /// server's PID, or null when none ran.
    /// </summary>
    public static async Task<int?> StopLeftoverAsync(string dir, CancellationToken ct)
    {
        var server = new LocalServer("leftover server", new HostPaths(dir), MariaDbBinaries.Require());
        var pid = server.RunningPid;
        await server.StopAsync(ct);
        return pid;
    }
}
