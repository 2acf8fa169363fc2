using HaInfra.Operations.Logging;
using HaInfra.Operations.Bootstrap;

namespace HaInfra.Operations.Local;

/// <summary>
/// `local down`: everything the stack runs on this machine stopped in an order that keeps it quiet (the monitor
/// first, so servers going away on purpose never look like a dead primary; replicas before the primary; storage
/// last); with purge, the state directory deleted — never databases of the user's own without force.
/// </summary>
internal sealed class LocalTeardown(LocalTarget target, IStepLog log)
{
    private readonly LocalTarget _target = target;
    private readonly IStepLog _log = log;

    public async Task RunAsync(bool purge, bool force, CancellationToken ct)
    {
        if (LocalState.Load(_target.Paths) is not { } state)
        {
            _log.Step("down", $"nothing to stop: stack '{_target.Configured.Stack}' has no local state in {_target.Paths.Root}");
            return;
        }

        using var stateLock = StateLock.Acquire(_target.Paths);
        var binaries = MariaDbBinaries.Find() ?? new MariaDbBinaries("mariadbd", "mariadb-install-db");
        var servers = state.Hosts.Keys.Select(name => new LocalServer(name, _target.Paths.Host(name), binaries)).ToList();
        if (purge)
        {
            var userData = servers.SelectMany(s => UserDatabases(s).Select(db => $"{s.Name}:{db}")).ToList();
            if (userData.Count > 0 && !force)
            {
                throw new OperationFailedException(
                    $"--purge would delete {_target.Paths.Root}, including databases {string.Join(", ", userData)}.",
                    "re-run with --purge --force to delete them, or back them up first.");
            }
        }

        // The monitor first: servers going away on purpose must not look like a dead primary.
        if (_target.MonitorPid is { } monitorPid && await Daemon.StopAsync(_target.MonitorPidFile, _target.MonitorMarker, TimeSpan.FromSeconds(10), ct))
        {
            _log.Step("stop", $"failover monitor (pid {monitorPid}) stopped");
        }

        await _target.Monitoring(state).StopAsync(ct);

        // The backup agent first, so it does not log the servers going away; storage last.
        var backups = _target.Backups(state);
        await backups.StopAsync(ct);
        if (state.WriterPort is not null)
        {
            await _target.Endpoint(state).StopAsync(ct);
        }

        // A Galera arbitrator before the nodes: a vote without data must not outlive them, and the nodes leave cleanly.
        if (_target.Arbitrator(state) is { } arbitrator)
        {
            await arbitrator.StopAsync(ct);
        }

        // Replicas first: a semi-sync primary stopping first would make nothing wait, but replicas would log reconnect errors.
        var primaryName = _target.Live().Primary.Name;
        var running = servers.Where(s => s.IsRunning).OrderBy(s => s.Name == primaryName).ToList();
        foreach (var server in running)
        {
            var pid = server.RunningPid;
            await server.StopAsync(ct);
            _log.Step("stop", $"{server.Name} (pid {pid}) shut down cleanly");
        }

        if (running.Count == 0)
        {
            _log.Step("stop", "no server of this stack was running");
        }

        await backups.StopStorageAsync(ct);

        if (purge)
        {
            await _target.Network(state).RemoveAsync(ct);
            stateLock.Dispose();
            var size = DirectorySize(_target.Paths.Root);
            Directory.Delete(_target.Paths.Root, recursive: true);
            _log.Step("purge", $"deleted {_target.Paths.Root} ({size / (1024 * 1024)} MiB: datadirs, binlogs, TLS files, replication password)");
        }
        else
        {
            _log.Step("down", $"data kept in {_target.Paths.Root}; ./hainfra local up --stack {_target.Configured.Stack} starts it again");
        }
    }

    private static IEnumerable<string> UserDatabases(LocalServer server)
    {
        string[] system = ["mysql", "performance_schema", "sys", ReplicationVerifier.CanarySchema];
        return Directory.Exists(server.Paths.DataDir)
            ? Directory.GetDirectories(server.Paths.DataDir).Select(System.IO.Path.GetFileName).OfType<string>()
                .Where(d => !system.Contains(d) && !d.StartsWith('#'))
            : [];
    }

    internal static long DirectorySize(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
