using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Operations.Status;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Operations.Local;

/// <summary>
/// Realizes a stack on this machine: one mariadbd per host on 127.0.0.1, started with the host's rendered my.cnf
/// plus a small overlay, then the same replication bootstrap a cloud stack gets.
/// </summary>
public sealed class LocalTarget
{
    public const int DefaultBasePort = 13306;
    private static readonly TimeSpan VerifyDeadline = TimeSpan.FromSeconds(60);

    private readonly Topology _topology;
    private readonly TemplateRenderer _renderer;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public LocalTarget(Topology topology, LocalPaths paths, TemplateRenderer renderer, ISqlConnector connector, IStepLog log)
    {
        _topology = topology;
        Paths = paths;
        _renderer = renderer;
        _connector = connector;
        _log = log;
    }

    public LocalPaths Paths { get; }

    public async Task<UpResult> UpAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        RequireMariaDb();
        var binaries = MariaDbBinaries.Require();
        using var stateLock = StateLock.Acquire(Paths);
        var started = await StartServersLockedAsync(binaries, ct);
        var bootstrap = new ReplicationBootstrap(_connector, _log);
        var result = await bootstrap.RunAsync(BootstrapRequestFor(started.State, started.Password), writeCanary: started.Started > 0, ct);
        return new UpResult(result.Changed || started.Started > 0, started.Started, started.Servers, result.CanaryGtid, clock.Elapsed);
    }

    /// <summary>
    /// Everything <see cref="UpAsync"/> does except the replication bootstrap: configs written, servers created and
    /// running, replication untouched. For driving the bootstrap another way (e.g. the bootstrap verb with an
    /// outputs document, as a cloud stack does).
    /// </summary>
    public async Task<LocalState> StartServersAsync(CancellationToken ct = default)
    {
        RequireMariaDb();
        var binaries = MariaDbBinaries.Require();
        using var stateLock = StateLock.Acquire(Paths);
        return (await StartServersLockedAsync(binaries, ct)).State;
    }

    private async Task<StartedServers> StartServersLockedAsync(MariaDbBinaries binaries, CancellationToken ct)
    {
        var state = LocalState.Load(Paths) ?? new LocalState { Stack = _topology.Stack };
        var servers = _topology.Hosts.ToDictionary(h => h.Name, h => new LocalServer(h.Name, Paths.Host(h.Name), binaries), StringComparer.Ordinal);
        AssignPorts(state, servers);
        WarnAboutDroppedHosts(state);
        WriteConfigs(state, servers);
        if (_topology.Tls && TlsFiles.Ensure(Paths.TlsDir))
        {
            _log.Step("tls", $"created a local CA and a server certificate for 127.0.0.1 in {Paths.TlsDir}");
        }

        var password = ReplicationPassword.LoadOrCreate(Paths);
        var fresh = servers.Values.Where(s => !s.IsInitialized).ToList();
        if (fresh.Count > 0)
        {
            var step = Stopwatch.StartNew();
            await fresh[0].InitializeAsync(ct);
            foreach (var copy in fresh.Skip(1))
            {
                copy.CopyInitializedDataFrom(fresh[0]);
            }

            var copies = fresh.Count > 1 ? $"; copied to {Names(fresh.Skip(1))}" : "";
            _log.Step("init", $"{fresh[0].Name}: system tables created (mariadb-install-db){copies} in {Seconds(step)}");
        }

        var stopped = servers.Values.Where(s => !s.IsRunning).ToList();
        if (stopped.Count > 0)
        {
            var step = Stopwatch.StartNew();
            await Task.WhenAll(stopped.Select(s => s.StartAsync(ct)));
            var restarted = stopped.Except(fresh).ToList();
            var what = restarted.Count > 0 ? $"; {Names(restarted)} had stopped and {(restarted.Count == 1 ? "was" : "were")} restarted" : "";
            _log.Step("start", $"{string.Join(", ", stopped.Select(s => $"{s.Name} :{state.Hosts[s.Name].Port}"))} accepting connections in {Seconds(step)}{what}");
        }

        return new StartedServers(state, password, stopped.Count, servers.Count);
    }

    private sealed record StartedServers(LocalState State, Secret Password, int Started, int Servers);

    public async Task DownAsync(bool purge, bool force, CancellationToken ct = default)
    {
        if (LocalState.Load(Paths) is not { } state)
        {
            _log.Step("down", $"nothing to stop: stack '{_topology.Stack}' has no local state in {Paths.Root}");
            return;
        }

        using var stateLock = StateLock.Acquire(Paths);
        var binaries = MariaDbBinaries.Find() ?? new MariaDbBinaries("mariadbd", "mariadb-install-db");
        var servers = state.Hosts.Keys.Select(name => new LocalServer(name, Paths.Host(name), binaries)).ToList();
        if (purge)
        {
            var userData = servers.SelectMany(s => UserDatabases(s).Select(db => $"{s.Name}:{db}")).ToList();
            if (userData.Count > 0 && !force)
            {
                throw new OperationFailedException(
                    $"--purge would delete {Paths.Root}, including databases {string.Join(", ", userData)}.",
                    "re-run with --purge --force to delete them, or back them up first.");
            }
        }

        // Replicas first: a semi-sync primary stopping first would make nothing wait, but replicas would log reconnect errors.
        var primaryName = _topology.Primary.Name;
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

        if (purge)
        {
            stateLock.Dispose();
            var size = DirectorySize(Paths.Root);
            Directory.Delete(Paths.Root, recursive: true);
            _log.Step("purge", $"deleted {Paths.Root} ({size / (1024 * 1024)} MiB: datadirs, binlogs, TLS files, replication password)");
        }
        else
        {
            _log.Step("down", $"data kept in {Paths.Root}; ./hainfra local up --stack {_topology.Stack} starts it again");
        }
    }

    /// <summary>Null when the stack was never brought up here.</summary>
    public async Task<(StatusReport Report, LocalState State)?> StatusAsync(CancellationToken ct = default)
    {
        if (LocalState.Load(Paths) is not { } state)
        {
            return null;
        }

        var binaries = MariaDbBinaries.Find() ?? new MariaDbBinaries("mariadbd", "mariadb-install-db");
        foreach (var host in _topology.Hosts.Where(h => !state.Hosts.ContainsKey(h.Name)))
        {
            state.Hosts[host.Name] = new LocalHostState { Port = 0 };
        }

        var request = BootstrapRequestFor(state, new Secret("unused-by-status"));
        var pids = _topology.Hosts.ToDictionary(h => h.Name, h => new LocalServer(h.Name, Paths.Host(h.Name), binaries).RunningPid, StringComparer.Ordinal);
        var report = await StatusReader.ReadAsync(_topology, _connector, request.Admin, request.ReplicationAddresses, pids, ct);
        return (report, state);
    }

    /// <summary>The overrides each host runs with on this machine (for status --verbose).</summary>
    public IReadOnlyList<Override> OverridesFor(Host host, int port) =>
        LocalOverlay.For(_topology, Paths.Host(host.Name), Paths, port, Environment.IsPrivilegedProcess);

    public BootstrapRequest BootstrapRequestFor(LocalState state, Secret password) => new(
        _topology,
        _topology.Hosts.ToDictionary(h => h.Name, h => SqlEndpoint.UnixSocket(h.Name, Paths.Host(h.Name).Socket), StringComparer.Ordinal),
        _topology.Hosts.ToDictionary(h => h.Name, h => new ServerAddress("127.0.0.1", state.Hosts[h.Name].Port), StringComparer.Ordinal),
        new ReplicationAccount(ReplicationAccount.DefaultUser, "127.0.0.1", password),
        _topology.Tls ? System.IO.Path.Combine(Paths.TlsDir, TlsFiles.CaFile) : null,
        VerifyDeadline);

    private void RequireMariaDb()
    {
        if (_topology.Flavor != ServerFlavor.MariaDb)
        {
            throw new OperationFailedException(
                $"stack '{_topology.Stack}' uses {Spellings.Flavor.Of(_topology.Flavor)}; the local target runs MariaDB from Debian's packages.",
                "realize a MariaDB stack locally; MySQL stacks are rendered and synthesized only.");
        }
    }

    private void AssignPorts(LocalState state, Dictionary<string, LocalServer> servers)
    {
        var basePort = _topology.Local.BasePort ?? DefaultBasePort;
        var used = state.Hosts.Values.Select(h => h.Port).ToHashSet();
        var next = basePort;
        foreach (var host in _topology.Hosts.Where(h => !state.Hosts.ContainsKey(h.Name)))
        {
            while (used.Contains(next))
            {
                next++;
            }

            state.Hosts[host.Name] = new LocalHostState { Port = next };
            used.Add(next);
        }

        var busy = servers.Values
            .Where(s => !s.IsRunning && !PortCheck.IsFree(state.Hosts[s.Name].Port))
            .Select(s => $"{s.Name} needs 127.0.0.1:{state.Hosts[s.Name].Port}")
            .ToList();
        if (busy.Count > 0)
        {
            throw new OperationFailedException(
                $"ports taken by other processes: {string.Join("; ", busy)}.",
                "stop whatever listens there, or set hainfra:local.basePort in the stack to a free range (before the first local up).");
        }

        state.Save(Paths);
    }

    private void WarnAboutDroppedHosts(LocalState state)
    {
        foreach (var name in state.Hosts.Keys.Where(n => !_topology.Hosts.Any(h => h.Name == n)))
        {
            _log.Warn($"{name} is in the local state but no longer in the stack; it was left as it is (its data is in {Paths.Host(name).Dir}).");
        }
    }

    private void WriteConfigs(LocalState state, Dictionary<string, LocalServer> servers)
    {
        var changedWhileRunning = new List<string>();
        foreach (var host in _topology.Hosts)
        {
            var paths = Paths.Host(host.Name);
            Directory.CreateDirectory(paths.Dir);
            var rendered = MyCnfRenderer.Render(_renderer, _topology, host).Text;
            var overlay = LocalOverlay.Render(host.Name, _topology.Stack, paths, OverridesFor(host, state.Hosts[host.Name].Port));
            var changed = WriteIfChanged(paths.RenderedCnf, rendered) | WriteIfChanged(paths.LocalCnf, overlay);
            if (changed && servers[host.Name].IsRunning)
            {
                changedWhileRunning.Add(host.Name);
            }
        }

        if (changedWhileRunning.Count > 0)
        {
            _log.Warn($"my.cnf changed for running servers {string.Join(", ", changedWhileRunning)}; run local down, then local up, to apply it.");
        }
    }

    private static bool WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        File.WriteAllText(path, text);
        return true;
    }

    private static IEnumerable<string> UserDatabases(LocalServer server)
    {
        string[] system = ["mysql", "performance_schema", "sys", ReplicationVerifier.CanarySchema];
        return Directory.Exists(server.Paths.DataDir)
            ? Directory.GetDirectories(server.Paths.DataDir).Select(System.IO.Path.GetFileName).OfType<string>()
                .Where(d => !system.Contains(d) && !d.StartsWith('#'))
            : [];
    }

    private static long DirectorySize(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static string Names(IEnumerable<LocalServer> servers) => string.Join(", ", servers.Select(s => s.Name));

    private static string Seconds(Stopwatch watch) => $"{watch.Elapsed.TotalSeconds:0.00} s";
}

public sealed record UpResult(bool Changed, int Started, int Servers, string Gtid, TimeSpan Elapsed);
