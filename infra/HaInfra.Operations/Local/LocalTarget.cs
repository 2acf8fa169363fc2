using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Model.Galera;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;
using HaInfra.Operations.Status;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Operations.Local;

/// <summary>
/// Realizes a stack on this machine: one mariadbd per host on 127.0.0.1, started with the host's rendered my.cnf
/// plus a small overlay, then the same replication bootstrap a cloud stack gets.
/// </summary>
public sealed partial class LocalTarget
{
    public const int DefaultBasePort = 13306;
    private static readonly TimeSpan VerifyDeadline = TimeSpan.FromSeconds(60);

    private readonly Topology _topology;
    private readonly TemplateRenderer _renderer;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;
    private readonly IProgress<SeedProgress>? _progress;

    private readonly AgentCommand? _agent;
    private readonly AgentCommand? _monitor;
    private readonly AgentCommand? _toolkit;

    /// <param name="agent">How to start the backup scheduler (`hainfra local agent`); without it scheduled backups do not run.</param>
    /// <param name="monitor">How to start the failover monitor (`hainfra local monitor`); without it nothing fails over by itself.</param>
    /// <param name="toolkit">How to run the toolkit's own binary (the backup agent's sha256 pass-through); needed when backups are on.</param>
    public LocalTarget(
        Topology topology, LocalPaths paths, TemplateRenderer renderer, ISqlConnector connector, IStepLog log,
        IProgress<SeedProgress>? progress = null, AgentCommand? agent = null, AgentCommand? monitor = null, AgentCommand? toolkit = null)
    {
        _toolkit = toolkit;
        _monitor = monitor;
        _topology = topology;
        Paths = paths;
        _renderer = renderer;
        _connector = connector;
        _log = log;
        _progress = progress;
        _agent = agent;
    }

    public LocalPaths Paths { get; }

    /// <summary>The stack as configured: its first primary-site host is only the initial primary.</summary>
    public Topology Configured => _topology;

    /// <summary>The stack with the live primary (the term store's) in the primary role; what every local verb works on.</summary>
    public Topology Topology => Live();

    public LocalTermStore Terms => new(Paths);

    internal Topology Live() => _topology.WithPrimary(LivePrimary.Decide(_topology, Terms.Read().Current, new Dictionary<string, TermRecord?>()).Primary.Name);

    public async Task<UpResult> UpAsync(CancellationToken ct = default) => await UpAsync(new SeedOptions(), ct);

    /// <summary>
    /// Creates what is missing and starts what is stopped, then bootstraps. On a topology that holds no data yet,
    /// new hosts get empty system tables; once it holds data, a new host is seeded from a donor instead.
    /// </summary>
    public Task<UpResult> UpAsync(SeedOptions seedOptions, CancellationToken ct = default) => UpAsync(seedOptions, monitoring: false, ct);

    /// <param name="monitoring">Also run the exporters and a Prometheus with the stack's alert rules, from now on
    /// (<see cref="LocalMonitoring"/>); once asked for, later runs keep them without being asked again.</param>
    public async Task<UpResult> UpAsync(SeedOptions seedOptions, bool monitoring, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        RequireMariaDb();
        var binaries = MariaDbBinaries.Require();
        using var stateLock = StateLock.Acquire(Paths);
        await WaitForRoleChangeAsync(ct);
        var realized = await RealizeLockedAsync(binaries, seedOptions, ct);
        // Galera nodes rejoin by IST/SST as they start; there is no former primary to rewind.
        if (Terms.Read().Current is not null && !IsGalera)
        {
            await ResumePairRingAsync(ct);
            await RejoinFormerPrimariesAsync(ct);
        }

        var writeCanary = realized.Started > 0 || realized.Seeds.Count > 0;
        var result = await BootstrapAsync(realized.State, realized.Password, writeCanary, ct);
        await Endpoint(realized.State).EnsureAsync(result.Term.Primary, result.Term.Term, ct);
        var caughtUp = clock.Elapsed;
        await VerifySeedsAsync(realized.Seeds, ct);
        if (_topology.Backup.Enabled)
        {
            await Backups(realized.State).ApplyAsync(realized.State, _agent, _toolkit, ct);
        }

        if (monitoring && !realized.State.Monitoring)
        {
            realized.State.Monitoring = true;
            realized.State.Save(Paths);
        }

        if (realized.State.Monitoring)
        {
            await Monitoring(realized.State).EnsureAsync(ct);
        }

        await EnsureMonitorAsync(realized.State);

        return new UpResult(
            result.Changed || writeCanary, realized.Started, realized.Servers, result.CanaryGtid, clock.Elapsed, [.. realized.Seeds.Select(s => s.Result)], caughtUp);
    }

    /// <summary>
    /// A role change under way (the monitor failing over, an operator's switchover) owns the roles until it ends: local
    /// up waits for it, at most until its lease expires, instead of restarting the old primary beside a promotion
    /// (bench/methods ran local up 12 s after killing a primary whose failover was still applying a long relay log:
    /// local up made the old primary writable again while the failover had reset the candidate's replication).
    /// </summary>
    private async Task WaitForRoleChangeAsync(CancellationToken ct)
    {
        if (Terms.Read() is not { Pending: { } pending } state || !state.IsBusy(DateTimeOffset.UtcNow))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        _log.Step("wait", $"{pending.Operation} {pending.From} -> {pending.To} by {pending.Owner} is under way; waiting for it to end (its lease ends {pending.Expires:HH:mm:ss}Z)");
        while (Terms.Read().IsBusy(DateTimeOffset.UtcNow))
        {
            await Task.Delay(100, ct);
        }

        var after = Terms.Read();
        _log.Step("wait", after.Pending is null
            ? $"it ended after {clock.Elapsed.TotalSeconds:0.0} s: {after.Current}"
            : $"its lease expired after {clock.Elapsed.TotalSeconds:0.0} s without an end: {after.Current} stays the term in force");
    }

    /// <summary>
    /// Everything <see cref="UpAsync"/> does except the replication bootstrap: configs written, servers created (or
    /// seeded) and running, replication untouched. For driving the bootstrap another way (e.g. the bootstrap verb
    /// with an outputs document, as a cloud stack does).
    /// </summary>
    public async Task<LocalState> StartServersAsync(CancellationToken ct = default)
    {
        RequireMariaDb();
        var binaries = MariaDbBinaries.Require();
        using var stateLock = StateLock.Acquire(Paths);
        return (await RealizeLockedAsync(binaries, new SeedOptions(), ct)).State;
    }

    private async Task<Realized> RealizeLockedAsync(MariaDbBinaries binaries, SeedOptions seedOptions, CancellationToken ct)
    {
        var (state, servers, password) = Prepare(binaries);
        var fresh = servers.Values.Where(s => !s.IsInitialized).ToList();
        var existing = servers.Values.Except(fresh).ToList();
        if (IsGalera)
        {
            return await RealizeGaleraAsync(binaries, state, servers, password, fresh, existing, seedOptions, ct);
        }

        var seeds = new List<(SeedResult Result, SqlEndpoint Donor)>();
        int started;
        if (existing.Count == 0)
        {
            await InitializeAsync(fresh, ct);
            started = await StartStoppedAsync(servers.Values, fresh, state, ct);
        }
        else
        {
            if (fresh.FirstOrDefault(s => s.Name == Live().Primary.Name) is { } primary)
            {
                throw new OperationFailedException(
                    $"the primary {primary.Name} has no datadir here, but {Names(existing)} do.",
                    "make one of the existing servers the primary in the stack, or purge the local state (local down --purge) to start over.");
            }

            started = await StartStoppedAsync(existing, [], state, ct);
            var seeding = Seeding();
            foreach (var target in fresh)
            {
                seeds.Add(await seeding.SeedAsync(target, seedOptions, ct));
            }
        }

        return new Realized(state, password, started, servers.Count, seeds);
    }

    /// <summary>The shared bootstrap on the live primary; the term it leaves in force goes to the term store.</summary>
    private async Task<BootstrapResult> BootstrapAsync(LocalState state, Secret password, bool writeCanary, CancellationToken ct)
    {
        var request = BootstrapRequestFor(state, password);
        var (shared, unserved) = IsGalera ? await GaleraBootstrapRequestAsync(request, ct) : (request, []);
        var result = await new ReplicationBootstrap(_connector, _log).RunAsync(shared, writeCanary, ct);
        if (IsGalera)
        {
            await AfterGaleraBootstrapAsync(request, unserved, ct);
        }

        await Terms.UpdateAsync(t => t.Current == result.Term ? t : t with { Current = result.Term }, ct);
        return result;
    }

    private sealed record Realized(LocalState State, Secret Password, int Started, int Servers, List<(SeedResult Result, SqlEndpoint Donor)> Seeds);

    /// <summary>
    /// Rebuilds a replica in place from a donor. Refuses the primary; a replica holding transactions the primary
    /// never had (errant GTIDs) is rebuilt only with <paramref name="force"/>, since those transactions are lost.
    /// </summary>
    public async Task<UpResult> ReseedAsync(string hostName, SeedOptions seedOptions, bool force, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        RequireMariaDb();
        var host = Live().Host(hostName);
        if (host.Role == HostRole.Primary)
        {
            throw new OperationFailedException(
                $"{hostName} is the primary; reseeding would replace the data every replica follows.",
                "reseed replicas only; to rebuild the primary, fail over to a replica first.");
        }

        using var stateLock = StateLock.Acquire(Paths);
        return await ReseedLockedAsync(hostName, seedOptions, force, clock, ct);
    }

    private async Task<UpResult> ReseedLockedAsync(string hostName, SeedOptions seedOptions, bool force, Stopwatch clock, CancellationToken ct)
    {
        var host = Live().Host(hostName);
        var binaries = MariaDbBinaries.Require();
        if (LocalState.Load(Paths) is null)
        {
            throw new OperationFailedException($"stack '{_topology.Stack}' is not realized here ({Paths.Root}).", $"run local up --stack {_topology.Stack} first.");
        }

        var (state, servers, password) = Prepare(binaries);
        var existing = servers.Values.Where(s => s.IsInitialized && s.Name != hostName).ToList();
        var started = await StartStoppedAsync(existing, [], state, ct);
        var seeding = Seeding();
        await CheckErrantAsync(seeding, host, force, ct);
        var target = servers[hostName];
        var size = Directory.Exists(target.Paths.DataDir) ? LocalTeardown.DirectorySize(target.Paths.DataDir) : 0;
        _log.Step("reseed", $"{hostName}: replacing its datadir ({size / (1024 * 1024)} MiB) with a copy from a donor");
        var seed = await seeding.SeedAsync(target, seedOptions, ct);

        var result = await BootstrapAsync(state, password, writeCanary: true, ct);
        var caughtUp = clock.Elapsed;
        await VerifySeedsAsync([seed], ct);
        return new UpResult(true, started, servers.Count, result.CanaryGtid, clock.Elapsed, [seed.Result], caughtUp);
    }

    private (LocalState State, Dictionary<string, LocalServer> Servers, Secret Password) Prepare(MariaDbBinaries binaries)
    {
        var state = LocalState.Load(Paths) ?? new LocalState { Stack = _topology.Stack };
        var network = Network(state);
        network.Assign();
        var servers = _topology.Hosts.ToDictionary(h => h.Name, h => Server(h, binaries, network), StringComparer.Ordinal);
        LocalPortPlan.Assign(_topology, state, servers, Paths);
        WarnAboutDroppedHosts(state);
        LocalConfigFiles.Write(_topology, Paths, _renderer, state, servers, (host, port) => OverridesFor(host, port, Network(state)), _log);
        if (_topology.Tls && TlsFiles.Ensure(Paths.TlsDir, network.Addresses, renewOld: servers.Values.All(s => !s.IsRunning)))
        {
            _log.Step("tls", $"created a local CA and a server certificate for 127.0.0.1{string.Concat(network.Addresses.Select(a => ", " + a))} in {Paths.TlsDir}");
        }

        return (state, servers, ReplicationPassword.LoadOrCreate(Paths));
    }

    private async Task InitializeAsync(List<LocalServer> fresh, CancellationToken ct)
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

    /// <summary>Starts every stopped server of <paramref name="servers"/>; returns how many it started.</summary>
    private async Task<int> StartStoppedAsync(IEnumerable<LocalServer> servers, IReadOnlyCollection<LocalServer> fresh, LocalState state, CancellationToken ct)
    {
        var stopped = servers.Where(s => !s.IsRunning).ToList();
        if (stopped.Count == 0)
        {
            return 0;
        }

        var step = Stopwatch.StartNew();
        await Network(state).EnsureAsync(ct);

        // No --init-rpl-role=SLAVE for a returning old primary, although its crash recovery would then truncate the
        // tail (MDEV-21117): measured on 10.11.19, that also dropped a commit already acknowledged to the client (after
        // semi-sync fell back to async) and kept no copy of it. Recovered, the tail is rewound by rejoin and saved.
        await Task.WhenAll(stopped.Select(s => s.StartAsync(ct)));
        var restarted = stopped.Except(fresh).ToList();
        var what = restarted.Count > 0 ? $"; {Names(restarted)} had stopped and {(restarted.Count == 1 ? "was" : "were")} restarted" : "";
        _log.Step("start", $"{string.Join(", ", stopped.Select(s => $"{s.Name} :{state.Hosts[s.Name].Port}"))} accepting connections in {Seconds(step)}{what}");
        return stopped.Count;
    }

    private async Task CheckErrantAsync(LocalSeeding seeding, Host host, bool force, CancellationToken ct)
    {
        var snapshots = await seeding.ProbeAsync(ct);
        if (snapshots.GetValueOrDefault(host.Name) is not { } target || snapshots.GetValueOrDefault(Live().Primary.Name) is not { } primary)
        {
            return;
        }

        var errant = target.BinlogState.NotIn(primary.BinlogState);
        if (errant.IsEmpty)
        {
            return;
        }

        if (!force)
        {
            throw new OperationFailedException(
                $"{host.Name} holds transactions that {primary.Name} never had (errant GTIDs {errant}); reseeding discards them.",
                $"inspect them first (mariadb-binlog on {host.Name}'s binlogs), then run local reseed {host.Name} --force to discard them.");
        }

        _log.Warn($"--force: discarding {host.Name}'s errant transactions {errant}.");
    }

    private async Task VerifySeedsAsync(List<(SeedResult Result, SqlEndpoint Donor)> seeds, CancellationToken ct)
    {
        var verifier = new ChecksumVerifier(_connector, _log);
        foreach (var (result, donor) in seeds)
        {
            await verifier.VerifyAsync(donor, Seeding().Endpoint(result.Target), ct);
        }
    }

    private LocalSeeding Seeding() => new(Live(), Paths, _connector, _log, _progress);

    /// <summary>What switchover, failover, rejoin and the monitor need to act on this stack's servers.</summary>
    public RoleChangeContext RoleChange(IStepLog? log = null)
    {
        var state = LocalState.Load(Paths)
            ?? throw new OperationFailedException($"stack '{_topology.Stack}' is not realized here ({Paths.Root}).", $"run ./hainfra local up --stack {_topology.Stack} first.");
        var request = BootstrapRequestFor(state, ReplicationPassword.LoadOrCreate(Paths));
        return new RoleChangeContext(
            _topology, request.Admin, request.ReplicationAddresses, request.Account, request.TlsCaFile, Terms, Endpoint(state), _connector, log ?? _log, new LocalFence(Paths));
    }

    /// <summary>A failover decided by an operator: the primary must be down; the best candidate (or <paramref name="to"/>) is promoted.</summary>
    public async Task<RoleChangeResult> FailoverAsync(string? to, TimeSpan? deadline, CancellationToken ct = default)
    {
        RefuseRoleChangeOfGalera("failover");
        using var stateLock = StateLock.Acquire(Paths);
        return await new PrimaryFailover(RoleChange()).RunAsync(to, deadline ?? _topology.Failover.Deadline, $"operator (local failover, pid {Environment.ProcessId})", automatic: false, ct: ct);
    }

    public string MonitorPidFile => Path.Combine(Paths.MonitorDir, "monitor.pid");

    public string MonitorLog => Path.Combine(Paths.MonitorDir, "monitor.log");

    /// <summary>What the monitor daemon's command line holds (with the PID from its pid file, that is ours).</summary>
    internal string MonitorMarker => $"--stack {_topology.Stack} --state-dir {System.IO.Path.GetDirectoryName(Paths.Root)}";

    public int? MonitorPid => Daemon.RunningPid(MonitorPidFile, MonitorMarker);

    /// <summary>
    /// Starts the failover monitor in the background when it is not running and the stack fails over by itself, or
    /// has monitoring (the monitor writes what the alert rules need; with failover off it only watches).
    /// </summary>
    private async Task EnsureMonitorAsync(LocalState state)
    {
        var galeraDr = Galera.GaleraDrWatch.Applies(_topology);
        if (_monitor is null || !(_topology.Failover.Auto || state.Monitoring || galeraDr) || MonitorPid is not null)
        {
            return;
        }

        await Daemon.SpawnAsync(_monitor.Program, [.. _monitor.Args, "--stack", _topology.Stack, "--state-dir", System.IO.Path.GetDirectoryName(Paths.Root)!], MonitorPidFile, MonitorLog);
        _log.Step("monitor", $"failover monitor started (pid file {MonitorPidFile}, log {MonitorLog}); " +
            (galeraDr ? "keeping the DR site replicating from a Synced Galera node"
                : _topology.Failover.Auto ? "automatic failover inside the primary region" : "watching only: hainfra:failover.auto is off"));
    }

    /// <summary>For a Galera stack with a DR site: the monitor's rounds that keep the DR link up (moves only while no
    /// local command holds the stack's state lock); null for other stacks.</summary>
    public Galera.GaleraDrWatch? GaleraDrWatch(RoleChangeContext ctx) =>
        Galera.GaleraDrWatch.Applies(ctx.Topology) ? new Galera.GaleraDrWatch(ctx, () => StateLock.Acquire(Paths)) : null;

    public LocalMonitoring Monitoring(LocalState state) => new(_topology, Paths, state, _renderer, _log);

    /// <summary>What the failover monitor writes for the alert rules, when the stack has monitoring; else null.</summary>
    public Monitoring.ClusterMetrics? ClusterMetrics(RoleChangeContext ctx) =>
        LocalState.Load(Paths) is { Monitoring: true } ? new Monitoring.ClusterMetrics(ctx, host => Paths.Host(host).MetricsDir) : null;

    /// <summary>
    /// Brings <paramref name="hostName"/> back as a replica of the live primary: started if stopped, its own tail rewound
    /// by flashback (saved under rejoined/) or, when that cannot be done, reseeded after saving what can be read.
    /// </summary>
    public async Task<RejoinResult> RejoinAsync(string hostName, CancellationToken ct = default)
    {
        RequireMariaDb();
        using var stateLock = StateLock.Acquire(Paths);
        return await RejoinLockedAsync(hostName, ct);
    }

    private async Task<RejoinResult> RejoinLockedAsync(string hostName, CancellationToken ct)
    {
        var live = Live();
        live.Host(hostName);
        var binaries = MariaDbBinaries.Require();
        var state = LocalState.Load(Paths)
            ?? throw new OperationFailedException($"stack '{_topology.Stack}' is not realized here ({Paths.Root}).", $"run local up --stack {_topology.Stack} first.");
        var server = Server(live.Host(hostName), binaries, Network(state));
        if (!server.IsRunning)
        {
            await StartStoppedAsync([server], [], state, ct);
        }

        var tools = SeedTools.Find();
        var host = new RejoinHost(new LocalHostRunner(), MariaDbBinaries.Which("mariadb-binlog") ?? throw new OperationFailedException("mariadb-binlog is not installed.", "run scripts/install-prereqs as root."),
            tools.Client, Paths.RejoinDir, (name, token) => ReseedLockedAsync(name, new SeedOptions(), force: true, Stopwatch.StartNew(), token));
        return await new Rejoin(RoleChange(), host).RunAsync(hostName, ct);
    }

    /// <summary>
    /// Before the bootstrap of local up: every former primary (its server_id held a term), and every replica holding only
    /// transactions a former primary wrote, that holds transactions the live primary lacks is rejoined (rewound or
    /// reseeded, nothing thrown away unsaved) instead of refused.
    /// </summary>
    private async Task RejoinFormerPrimariesAsync(CancellationToken ct)
    {
        var live = Live();
        var views = await ClusterProbe.ReadAsync(_topology, _connector, RoleChange().Admin, ClusterProbe.DefaultTimeout, ct, last: live.Primary.Name);
        if (views[live.Primary.Name].Snapshot is not { } primary)
        {
            return;
        }

        var holders = ClusterProbe.TermHolders(views);
        foreach (var view in views.Values.Where(v => v.Name != live.Primary.Name && v.Snapshot is not null))
        {
            var errant = view.Snapshot!.BinlogState.NotIn(primary.BinlogState);
            // A former primary, or a replica that received a superseded term's tail from one (after a DR promotion
            // the whole lost region holds what the DR site never received): every GTID it alone has was written by a
            // server that held a term. Anything else is errant in earnest, and bootstrap refuses it below.
            var formerPrimary = holders.Contains(view.Snapshot.ServerId);
            if (!errant.IsEmpty && (formerPrimary || errant.Gtids.All(g => holders.Contains(g.ServerId) && g.ServerId != primary.ServerId)))
            {
                _log.Step("rejoin", $"{view.Name} is {(formerPrimary ? "a former primary" : "a replica of a former primary")} holding {errant}, which {live.Primary.Name} lacks: rejoining it");
                var result = await RejoinLockedAsync(view.Name, ct);
                _log.Step("rejoin", $"{view.Name}: {result.How}");
            }
        }
    }

    public const string AppUser = "hainfra_app";

    /// <summary>
    /// The writer endpoint as an application reaches it: the HAProxy writer port, as an account without SUPER (so a
    /// fenced, read-only primary refuses it as it refuses any application). Creates the account and the drill table on
    /// the live primary, binlogged, so they exist on every server after any role change.
    /// </summary>
    public async Task<SqlEndpoint> AppEndpointAsync(CancellationToken ct = default)
    {
        var state = LocalState.Load(Paths);
        var writerPort = state?.WriterPort
            ?? throw new OperationFailedException($"stack '{_topology.Stack}' has no writer endpoint here ({Paths.Root}).", $"run ./hainfra local up --stack {_topology.Stack} first.");
        var password = ReplicationPassword.LoadOrCreate(Paths, Paths.AppPasswordFile);
        await using var primary = await _connector.ConnectAsync(AdminOf(Live().Primary.Name), ct);
        // The endpoint connects from 127.0.0.1, or from the root side of the site's veth pair.
        var from = Network(state!).AccountHosts;
        await primary.ExecuteAsync(SqlStatement.With($"CREATE USER IF NOT EXISTS '{AppUser}'@'{from}' IDENTIFIED BY @password", ("password", password)), ct);
        await primary.ExecuteAsync($"GRANT SELECT, INSERT ON {Load.AckedWriter.Schema}.* TO '{AppUser}'@'{from}'", ct);
        await Load.AckedWriter.EnsureTableAsync(primary, ct);
        return SqlEndpoint.Tcp("writer endpoint", "127.0.0.1", writerPort, AppUser, password, requireTls: _topology.Tls);
    }

    /// <summary>
    /// One write through the writer endpoint as an application makes it (the app account, over TCP), retried while the
    /// endpoint has no server yet; returns which server took it. A DR promotion's RTO ends here.
    /// </summary>
    public async Task<string> WriteThroughEndpointAsync(string note, CancellationToken ct)
    {
        var endpoint = await AppEndpointAsync(ct);
        await using (var primary = await _connector.ConnectAsync(AdminOf(Live().Primary.Name), ct))
        {
            await primary.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {Load.AckedWriter.Schema}.endpoint_probe (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL, note VARCHAR(200) NOT NULL)", ct);
        }

        while (true)
        {
            try
            {
                await using var client = await _connector.ConnectAsync(endpoint, ct);
                await client.ExecuteAsync(SqlStatement.With($"INSERT INTO {Load.AckedWriter.Schema}.endpoint_probe (at, note) VALUES (NOW(6), @note)", ("note", note)), ct);
                var server = await client.ScalarAsync("SELECT @@server_id", ct);
                var host = _topology.Hosts.FirstOrDefault(h => h.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture) == server)?.Name ?? $"server_id {server}";
                return $"a row written through {endpoint} landed on {host}";
            }
            catch (SqlOperationException e) when (e.IsConnectionFailure)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    /// <summary>The live primary and its gtid_binlog_pos; null when it does not answer.</summary>
    public async Task<(string Host, Model.Gtids.GtidPosition Position)?> PrimaryPositionAsync(CancellationToken ct)
    {
        var name = Live().Primary.Name;
        try
        {
            await using var client = await _connector.ConnectAsync(AdminOf(name), ct);
            return (name, Model.Gtids.GtidPosition.Parse(await client.ScalarAsync("SELECT @@gtid_binlog_pos", ct)));
        }
        catch (SqlOperationException)
        {
            return null;
        }
    }

    /// <summary>Region-loss promotion of the remote site <paramref name="site"/>; manual only.</summary>
    public async Task<DisasterRecovery.DrPromotionResult> DrPromoteAsync(
        string site, string? forceReason, Func<string, CancellationToken, Task<bool>> confirm, TimeSpan? deadline, DateTimeOffset? commandStarted = null, CancellationToken ct = default)
    {
        using var stateLock = StateLock.Acquire(Paths);
        var context = RoleChange();
        var evidence = new LocalRecoveryEvidence(_topology.Backup.Enabled ? Backups() : null, context.Admin, _connector);
        var request = new DisasterRecovery.DrPromotionRequest(site, forceReason, confirm, deadline ?? _topology.Failover.Deadline, $"operator (local dr promote, pid {Environment.ProcessId})", commandStarted);
        return await new DisasterRecovery.DrPromotion(context, evidence, token => WriteThroughEndpointAsync($"first write after the DR promotion of {site}", token)).RunAsync(request, ct);
    }

    /// <summary>Checks a writer's report on every running server of the stack, once each has applied the live primary's position.</summary>
    public async Task<IReadOnlyList<Load.ServerWriteCheck>> CheckWritesAsync(Load.WriteReport report, CancellationToken ct = default)
    {
        var views = await ClusterProbe.ReadAsync(_topology, _connector, RoleChange().Admin, ClusterProbe.DefaultTimeout, ct);
        await using var servers = await ServerSet.ConnectAsync(_connector,
            views.Values.Where(v => v.Reachable).ToDictionary(v => v.Name, v => AdminOf(v.Name), StringComparer.Ordinal), ct);
        var clients = views.Values.Where(v => v.Reachable).ToDictionary(v => v.Name, v => servers[v.Name], StringComparer.Ordinal);
        return await Load.WriteCheck.RunAsync(report, clients, Live().Primary.Name, TimeSpan.FromSeconds(60), ct,
            GaleraCluster.Nodes(_topology).Select(n => n.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A planned switchover to <paramref name="to"/> (or the best candidate), under one deadline with rollback.</summary>
    public async Task<RoleChangeResult> SwitchoverAsync(string? to, TimeSpan? deadline, CancellationToken ct = default)
    {
        RefuseRoleChangeOfGalera("switchover");
        using var stateLock = StateLock.Acquire(Paths);
        if (Backups() is { } backups && backups.ApplierHold() is { } hold && (to is null || to == backups.BackupHost.Name))
        {
            // The held replica cannot catch up, so the switchover would refuse at its check anyway; say who holds it.
            throw new OperationFailedException(
                $"a backup holds the replication applier of {hold}; {backups.BackupHost.Name} cannot catch up for a switchover until it ends. Nothing was changed.",
                $"wait for the backup to finish and switch over again{(to is null ? ", or name another replica with --to" : "")}.");
        }

        return await new Switchover(RoleChange()).RunAsync(to, deadline ?? _topology.Failover.Deadline, $"operator (local switchover, pid {Environment.ProcessId})", ct);
    }

    /// <summary>The writer/reader endpoint (HAProxy) of a realized stack.</summary>
    public LocalEndpoint Endpoint(LocalState state) => new(_topology, Paths, state, _renderer, _log);

    /// <summary>The endpoint; null when the stack was never brought up here.</summary>
    public LocalEndpoint? Endpoint() => LocalState.Load(Paths) is { WriterPort: not null } state ? Endpoint(state) : null;

    /// <summary>The stack's backups on this machine; null when the stack was never brought up here.</summary>
    public LocalBackups? Backups() => LocalState.Load(Paths) is { } state ? Backups(state) : null;

    internal LocalBackups Backups(LocalState state) =>
        new(Live(), Paths, _renderer, System.IO.Path.GetDirectoryName(_renderer.Catalog.Directory.TrimEnd('/'))!, state.StoragePort ?? 0, _log);

    /// <summary>Stops the monitor, the agent, the endpoint, the servers (replicas first) and the storage; with purge, deletes the state.</summary>
    public Task DownAsync(bool purge, bool force, CancellationToken ct = default) => new LocalTeardown(this, _log).RunAsync(purge, force, ct);

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
        var report = await StatusReader.ReadAsync(Live(), _connector, request.Admin, request.ReplicationAddresses, pids, Terms.Read().Current, _topology.InitialPrimary.Name, ct);
        // A server that stopped, or does not answer, says why in its error log (a full disk, a crash): the status names it.
        var rows = report.Hosts.Select(h => !h.Reachable && ErrorLogLines.LastError(Paths.Host(h.Host.Name).ErrorLog) is { } error
            ? h with { Problems = [.. h.Problems, $"last error: {error}"] }
            : h).ToList();
        return (report with { Hosts = rows }, state);
    }

    /// <summary>The overrides each host runs with on this machine (for status --verbose).</summary>
    public IReadOnlyList<Override> OverridesFor(Host host, int port) =>
        OverridesFor(host, port, Network(LocalState.Load(Paths) ?? new LocalState { Stack = _topology.Stack }));

    private IReadOnlyList<Override> OverridesFor(Host host, int port, LocalNetwork network) =>
        [.. LocalOverlay.For(_topology, Paths.Host(host.Name), Paths, port, Environment.IsPrivilegedProcess, network.AddressOf(host)),
         .. GaleraOverlay.For(_topology, host, network.State, network.AddressOf, Environment.IsPrivilegedProcess, _topology.Tls ? Paths.TlsDir : null)];

    /// <summary>Where the stack's servers listen: 127.0.0.1, or a namespace per site (hainfra:local.siteNamespaces).</summary>
    /// <summary>A local server's admin endpoint: root over its unix socket.</summary>
    private SqlEndpoint AdminOf(string host) => SqlEndpoint.UnixSocket(host, Paths.Host(host).Socket);

    public LocalNetwork Network(LocalState state) => new(_topology, state, Paths.Root);

    private LocalServer Server(Host host, MariaDbBinaries binaries, LocalNetwork network) =>
        new(host.Name, Paths.Host(host.Name), binaries, network.NamespaceOf(host));

    public BootstrapRequest BootstrapRequestFor(LocalState state, Secret password) => new(
        _topology,
        _topology.Hosts.ToDictionary(h => h.Name, h => AdminOf(h.Name), StringComparer.Ordinal),
        _topology.Hosts.ToDictionary(h => h.Name, h => new ServerAddress(Network(state).AddressOf(h), state.Hosts[h.Name].Port), StringComparer.Ordinal),
        new ReplicationAccount(ReplicationAccount.DefaultUser, Network(state).AccountHosts, password),
        _topology.Tls ? System.IO.Path.Combine(Paths.TlsDir, TlsFiles.CaFile) : null,
        VerifyDeadline,
        _topology.Backup is { Enabled: true, BinlogArchive: true }
            ? new ReplicationAccount(ReplicationAccount.ArchiveUser, Network(state).AccountHosts, ReplicationPassword.LoadOrCreate(Paths, Paths.ArchivePasswordFile), ReplicationAccount.ArchivePrivileges)
            : null,
        Terms.Read().Current);

    private void RequireMariaDb()
    {
        if (_topology.Flavor != ServerFlavor.MariaDb)
        {
            throw new OperationFailedException(
                $"stack '{_topology.Stack}' uses {Spellings.Flavor.Of(_topology.Flavor)}; the local target runs MariaDB from Debian's packages.",
                "use flavor: mariadb; HaInfra realizes MariaDB only (validation refuses flavor: mysql).");
        }
    }

    private void WarnAboutDroppedHosts(LocalState state)
    {
        foreach (var name in state.Hosts.Keys.Where(n => !_topology.Hosts.Any(h => h.Name == n)))
        {
            _log.Warn($"{name} is in the local state but no longer in the stack; it was left as it is (its data is in {Paths.Host(name).Dir}).");
        }
    }

    private static string Names(IEnumerable<LocalServer> servers) => string.Join(", ", servers.Select(s => s.Name));

    private static string Seconds(Stopwatch watch) => $"{watch.Elapsed.TotalSeconds:0.00} s";
}

/// <param name="CaughtUp">When every replica had verified the canary: after seeding, before the checksum verification.</param>
public sealed record UpResult(bool Changed, int Started, int Servers, string Gtid, TimeSpan Elapsed, IReadOnlyList<SeedResult> Seeds, TimeSpan CaughtUp);
