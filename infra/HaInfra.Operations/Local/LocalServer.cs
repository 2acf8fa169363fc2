using System.Diagnostics;
using System.Net.Sockets;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>
/// One local mariadbd: create its datadir, start it detached from this process, wait until it greets a
/// client, stop it cleanly. Servers outlive the CLI; their PID file is the handle.
/// </summary>
public sealed class LocalServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StartingGrace = TimeSpan.FromSeconds(10);

    /// <summary>Command-line flag every local start carries; shown by status --verbose.</summary>
    public const string SkipReplicaStart = "--skip-slave-start";

    private readonly MariaDbBinaries _binaries;
    private readonly string? _netns;

    /// <param name="netns">The network namespace the server runs in (hainfra:local.siteNamespaces), or null.</param>
    public LocalServer(string name, HostPaths paths, MariaDbBinaries binaries, string? netns = null)
    {
        Name = name;
        Paths = paths;
        _binaries = binaries;
        _netns = netns;
    }

    public string Name { get; }

    public HostPaths Paths { get; }

    /// <summary>The root account over this server's socket.</summary>
    public SqlEndpoint Admin => SqlEndpoint.UnixSocket(Name, Paths.Socket);

    public bool IsInitialized => File.Exists(Paths.InitializedMarker);

    /// <summary>The PID of our running server, or null.</summary>
    public int? RunningPid =>
        ProcessControl.ReadPid(Paths.PidFile) is { } pid && ProcessControl.IsAlive(pid) && ProcessControl.IsOurs(pid, Paths.LocalCnf) ? pid : null;

    public bool IsRunning => RunningPid is not null;

    /// <summary>Creates the system tables. A datadir left by an interrupted attempt (no marker) is discarded:
    /// it never held data, since the server was never started on it.</summary>
    /// <param name="markInitialized">False when more must happen before the datadir counts as complete (a logical seed loads data next).</param>
    public async Task InitializeAsync(CancellationToken ct, bool markInitialized = true)
    {
        if (Directory.Exists(Paths.DataDir))
        {
            Directory.Delete(Paths.DataDir, recursive: true);
        }

        Directory.CreateDirectory(Paths.DataDir);
        Directory.CreateDirectory(Paths.TmpDir);
        var args = new List<string>
        {
            $"--defaults-file={Paths.LocalCnf}",
            "--skip-test-db",
            "--auth-root-authentication-method=socket",
        };
        if (!Environment.IsPrivilegedProcess)
        {
            args.Add($"--auth-root-socket-user={Environment.UserName}");
        }

        var install = await ProcessRunner.RunAsync(_binaries.InstallDb, args, ct);
        if (install.ExitCode != 0)
        {
            throw new OperationFailedException(
                $"{Name}: mariadb-install-db failed (exit {install.ExitCode}):\n{Tail(install.Stdout + install.Stderr, 15)}",
                $"read {Paths.ErrorLog}; fix the cause, then run local up again (the half-made datadir is discarded).");
        }

        if (markInitialized)
        {
            await File.WriteAllTextAsync(Paths.InitializedMarker, "", ct);
        }
    }

    /// <summary>
    /// Gives this host a copy of <paramref name="source"/>'s freshly initialized, never started datadir. A new
    /// MariaDB datadir holds no server identity (no server_uuid, no binlog), and all local hosts share the
    /// init-relevant options, so a copy equals a separate mariadb-install-db run at a fraction of its fsyncs.
    /// </summary>
    public void CopyInitializedDataFrom(LocalServer source)
    {
        if (!source.IsInitialized || source.IsRunning || File.Exists(source.Paths.PidFile))
        {
            throw new InvalidOperationException($"{source.Name}'s datadir is not a fresh, never started one");
        }

        if (Directory.Exists(Paths.DataDir))
        {
            Directory.Delete(Paths.DataDir, recursive: true);
        }

        CopyDirectory(source.Paths.DataDir, Paths.DataDir);
        Directory.CreateDirectory(Paths.TmpDir);
        File.WriteAllText(Paths.InitializedMarker, "");
    }

    /// <param name="extraArgs">Options for this start only (e.g. --wsrep-new-cluster for the node that starts a Galera cluster).</param>
    public async Task StartAsync(CancellationToken ct, IReadOnlyList<string>? extraArgs = null)
    {
        if (IsRunning)
        {
            return;
        }

        File.Delete(Paths.PidFile);
        File.Delete(Paths.Socket);
        Directory.CreateDirectory(Paths.TmpDir);
        var logOffset = File.Exists(Paths.ErrorLog) ? new FileInfo(Paths.ErrorLog).Length : 0;

        // Replication is started by the bootstrap that follows every start, after it has checked the replica's
        // position (a crash can leave gtid_slave_pos behind the binlog; starting blindly fails with error 1950).
        // mariadbd writes its own PID file and error log; its stdio goes nowhere useful.
        string[] args = [$"--defaults-file={Paths.LocalCnf}", SkipReplicaStart, .. extraArgs ?? []];
        if (_netns is null)
        {
            await Daemon.SpawnAsync(_binaries.Server, args, pidFile: null, logFile: "/dev/null");
        }
        else
        {
            // ip netns exec execs the server in the site's namespace: same PID, which mariadbd writes to its pid file.
            await Daemon.SpawnAsync("/usr/sbin/ip", ["netns", "exec", _netns, _binaries.Server, .. args], pidFile: null, logFile: "/dev/null");
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (RunningPid is not null && SendsGreeting())
            {
                return;
            }

            if (Aborted(logOffset))
            {
                break;
            }

            await Task.Delay(25, ct);
        }

        var log = ReadLogFrom(logOffset);
        var errors = ErrorLogLines.Errors(log, 6);
        throw new OperationFailedException(
            $"{Name}: mariadbd did not start within {StartTimeout.TotalSeconds:0} s. Its error log says:\n" +
            (errors.Count > 0 ? string.Join("\n", errors.Select(e => $"  [ERROR] {e}")) : Tail(log, 15)),
            $"fix the cause shown in {Paths.ErrorLog}, then run local up again.");
    }

    /// <summary>SIGTERM and wait: mariadbd shuts down cleanly (buffer pool flushed, binlog closed).</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (RunningPid is not { } pid)
        {
            return;
        }

        // A server still starting (a command killed right after it spawned one) gets SIGTERM only once it greets,
        // for the reason given at SendsGreeting; a frozen server that never greets is stopped after the short wait.
        var greetWait = Stopwatch.StartNew();
        while (greetWait.Elapsed < StartingGrace && ProcessControl.IsAlive(pid) && !SendsGreeting())
        {
            await Task.Delay(25, ct);
        }

        ProcessControl.Terminate(pid);
        var clock = Stopwatch.StartNew();
        while (ProcessControl.IsAlive(pid))
        {
            if (clock.Elapsed > StopTimeout)
            {
                throw new OperationFailedException(
                    $"{Name}: mariadbd (pid {pid}) is still shutting down after {StopTimeout.TotalSeconds:0} s.",
                    $"wait for it, or look at {Paths.ErrorLog}; do not kill -9 it unless you accept crash recovery.");
            }

            await Task.Delay(25, ct);
        }
    }

    /// <summary>
    /// True once the server sends its handshake greeting. A socket that merely accepts a connect is not enough: the
    /// server listens early but greets only from its main loop, and a SIGTERM that arrives in between (while it still
    /// initializes replication) leaves MariaDB 10.11 hung for good — seen in CI, a restore's server stopped right
    /// after its start never exited.
    /// </summary>
    private bool SendsGreeting()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(Paths.Socket));
            var greeting = new byte[4];
            return socket.Poll(TimeSpan.FromMilliseconds(250), SelectMode.SelectRead) && socket.Receive(greeting) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private bool Aborted(long logOffset) =>
        ReadLogFrom(logOffset).Contains("[ERROR] Aborting", StringComparison.Ordinal);

    private string ReadLogFrom(long offset)
    {
        if (!File.Exists(Paths.ErrorLog))
        {
            return "";
        }

        using var stream = new FileStream(Paths.ErrorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    private static string Tail(string text, int lines) =>
        string.Join("\n", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(l => "    " + l));
}
