using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Json;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Processes;
using HaInfra.Rendering;
using HaInfra.Rendering.Backup;

namespace HaInfra.Operations.Local;

/// <summary>How to start the local scheduler (`hainfra local agent`): given by the CLI, which knows its own path.</summary>
public sealed record AgentCommand(string Program, IReadOnlyList<string> Args);

/// <summary>
/// The stack's backup policy on the local target: the storage server, the backup host's agent rendered from the
/// same templates as on a cloud host (plus a small override of paths and storage), the binlog archive, and the
/// scheduler that runs the agent on the policy's calendar. The local operator's age identity can read the backups.
/// </summary>
public sealed class LocalBackups
{
    private readonly Topology _topology;
    private readonly LocalPaths _paths;
    private readonly TemplateRenderer _renderer;
    private readonly IStepLog _log;
    private readonly LocalStorage _storage;

    public LocalBackups(Topology topology, LocalPaths paths, TemplateRenderer renderer, string repoRoot, int storagePort, IStepLog log)
    {
        _topology = topology;
        _paths = paths;
        _renderer = renderer;
        _log = log;
        _storage = new LocalStorage(topology.Backup.Destination, paths, repoRoot, storagePort);
    }

    public Host BackupHost => _topology.Backup.BackupHost(_topology);

    public BackupObjectives Objectives => _topology.Backup.Objectives;

    public Rclone Storage => new(_storage.Remote);

    /// <summary>The copy standing for the other region's bucket (the agent copies every stored backup and segment there).</summary>
    public Rclone OffsiteStorage => new(_storage.Remote with { Bucket = _storage.OffsiteRemoteBucket });

    /// <summary>The storage's rclone settings (endpoint, bucket): the emulators' published development defaults, no secrets.</summary>
    public BackupStorage Remote => _storage.Remote;

    /// <summary>The S3 server's log of every request it received (S3 destination only).</summary>
    public string StorageRequestLog => _storage.RequestLog;

    private string AgentRoot => AgentRootOf(BackupHost.Name);

    private string AgentRootOf(string host) => Path.Combine(_paths.Host(host).Dir, "backup");

    private string Script => ScriptOf(BackupHost.Name);

    private string ScriptOf(string host) => Path.Combine(AgentRootOf(host), "usr", "local", "sbin", "hainfra-backup");

    private LocalAgentScript Agent => AgentOf(BackupHost.Name);

    private LocalAgentScript AgentOf(string host) =>
        new(ScriptOf(host), Path.Combine(AgentRootOf(host), "etc", "hainfra", "backup.env"), Path.Combine(AgentRootOf(host), "local.env"));

    /// <summary>Where the binlog archive writes the segments it streams, one folder per primary it streamed from.</summary>
    public string ArchiveSpoolDir => SpoolDirOf(BackupHost.Name);

    private string SpoolDirOf(string host) => Path.Combine(AgentRootOf(host), "state", "binlogs");

    private string ArchivePid => Path.Combine(_paths.AgentDir, "binlog-archive.pid");

    private string SchedulerPid => Path.Combine(_paths.AgentDir, "scheduler.pid");

    public string ScheduleFile => Path.Combine(_paths.AgentDir, "schedule.json");

    /// <summary>
    /// "db2: full backup, pid 123, since …" while a backup holds the backup host's replication applier (the agent
    /// writes it when it stops the SQL thread and removes it when it starts it again); null otherwise.
    /// </summary>
    public string? ApplierHold()
    {
        var file = Path.Combine(AgentRoot, "state", "applier.hold");
        var text = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
        var pid = text.Split(", ").FirstOrDefault(p => p.StartsWith("pid ", StringComparison.Ordinal)) is { } field
            && int.TryParse(field[4..], CultureInfo.InvariantCulture, out var n) ? n : 0;
        return pid > 0 && ProcessControl.IsAlive(pid) ? $"{BackupHost.Name}: {text}" : null;
    }

    /// <summary>Storage up, agent rendered, binlog archive and scheduler running. Idempotent.</summary>
    /// <param name="toolkit">The toolkit's own binary, which the agent runs as /usr/local/bin/hainfra (its sha256 pass-through).</param>
    public async Task ApplyAsync(LocalState state, AgentCommand? agent, AgentCommand? toolkit, CancellationToken ct)
    {
        if (await _storage.EnsureRunningAsync(Storage, ct))
        {
            _log.Step("storage", $"{_storage.Describe} started (data in {Path.Combine(_paths.Root, "storage")})");
        }

        var scheduleBefore = File.Exists(ScheduleFile) ? await File.ReadAllTextAsync(ScheduleFile, ct) : null;
        WriteAgent(state, toolkit ?? throw new InvalidOperationException("backups on the local target need the toolkit's own binary for the agent; pass it to LocalTarget"));
        if (scheduleBefore is not null && scheduleBefore != await File.ReadAllTextAsync(ScheduleFile, ct)
            && Daemon.RunningPid(SchedulerPid, ScheduleFile) is { } scheduler)
        {
            // A running scheduler holds the schedule it read at its start: the former backup host's agent, which it would
            // run, and restart as the archive beside this host's. It starts again below with the new schedule.
            await Daemon.StopAsync(SchedulerPid, ScheduleFile, TimeSpan.FromSeconds(10), ct);
            _log.Step("schedule", $"stopped the scheduler of the former backup host (pid {scheduler})");
        }

        if (RunningArchive() is { } archive && !ProcessControl.IsOurs(archive, Script))
        {
            // The backup host follows the roles: an archive started by another host's agent stops before this one starts.
            await StopArchiveAsync(ct);
            _log.Step("archive", $"stopped the binlog archive of the former backup host (pid {archive})");
        }

        await UploadFormerSpoolsAsync(ct);
        if (_topology.Backup.BinlogArchive && RunningArchive() is null)
        {
            await Agent.SpawnArchiveAsync(ArchivePid, Path.Combine(_paths.AgentDir, "binlog-archive.log"));
            _log.Step("archive", $"binlog archive of {_topology.Primary.Name} streaming to {BackupHost.Name} (log: {Path.Combine(_paths.AgentDir, "binlog-archive.log")})");
        }

        if (agent is not null && Daemon.RunningPid(SchedulerPid, ScheduleFile) is null)
        {
            await Daemon.SpawnAsync(agent.Program, [.. agent.Args, "--schedule", ScheduleFile], SchedulerPid, Path.Combine(_paths.AgentDir, "scheduler.log"));
            var p = _topology.Backup.Schedules;
            _log.Step("schedule", $"backups of {BackupHost.Name}: full '{p.Full}', incremental '{p.Incremental}', logical '{p.Logical}'");
        }
    }

    /// <summary>
    /// Each host's agent spools into its own state directory, and the backup host follows the roles: segments a former
    /// backup host's archive spooled but had not stored when it was stopped (often a lost primary's last one, whose
    /// stream ended with the failover) would stay on that host. Its own agent uploads them now (`binlog-upload`), before
    /// the new archive starts; a failure is a warning, and the next `local up` tries again, as nothing is dropped. The
    /// live primary's open file is left out on both sides of the upload: the agent holds it back, and the new archive
    /// streams it again from the primary.
    /// </summary>
    private async Task UploadFormerSpoolsAsync(CancellationToken ct)
    {
        foreach (var host in _topology.Hosts.Where(h => h.Name != BackupHost.Name && File.Exists(ScriptOf(h.Name))))
        {
            var waiting = ArchiveSpool.Unstored(SpoolDirOf(host.Name), _topology.Primary.Name);
            if (waiting.Count == 0)
            {
                continue;
            }

            var (exit, _, stderr) = await AgentOf(host.Name).RunAsync("binlog-upload", null, ct);
            var left = ArchiveSpool.Unstored(SpoolDirOf(host.Name), _topology.Primary.Name);
            if (exit == 0 && left.Count == 0)
            {
                _log.Step("archive", $"{host.Name}, a former backup host, stored the {waiting.Count} segment(s) its archive had spooled but not stored: {string.Join(", ", waiting)}");
            }
            else
            {
                _log.Warn($"{host.Name}, a former backup host, could not store {left.Count} segment(s) its archive spooled ({string.Join(", ", left)}; exit {exit}); " +
                    $"they stay in {SpoolDirOf(host.Name)} and the next `local up` tries again:\n{Tail(stderr)}");
            }
        }
    }

    /// <summary>Runs one backup now, as the timer would; returns the backup's directory in storage.</summary>
    public async Task<string> RunAsync(string kind, CancellationToken ct)
    {
        var (exit, stdout, stderr) = await RunScriptAsync(kind, null, ct);
        if (exit != 0)
        {
            throw new OperationFailedException($"the {kind} backup of {BackupHost.Name} failed (exit {exit}{(exit == 137 ? ", killed" : "")}):\n{Tail(stderr)}",
                "fix the cause shown above and run the backup again; unless a manifest step is shown above, nothing was recorded as a backup.");
        }

        foreach (var (name, detail) in LocalAgentScript.Steps(kind, stderr))
        {
            _log.Step(name, $"{BackupHost.Name}: {detail}");
        }

        return stdout.Trim().Split('\n').Last();
    }

    /// <param name="environment">Extra environment for this run only (e.g. HAINFRA_BACKUP_RCLONE_FLAGS).</param>
    public Task<ProcessResult> RunScriptAsync(string kind, IReadOnlyDictionary<string, string>? environment, CancellationToken ct) =>
        Agent.RunAsync(kind, environment, ct);

    public async Task StopAsync(CancellationToken ct)
    {
        await Daemon.StopAsync(SchedulerPid, ScheduleFile, TimeSpan.FromSeconds(10), ct);
        await StopArchiveAsync(ct);
    }

    /// <summary>
    /// The running binlog archive of this stack, whichever host's agent started it: its command line holds this
    /// stack's state directory and the verb (the agent's path names the backup host, which changes with the roles).
    /// </summary>
    private int? RunningArchive() => Daemon.RunningPid(ArchivePid, ArchiveMarkers);

    private string[] ArchiveMarkers => [_paths.Root + "/", "hainfra-backup binlog-archive"];

    private async Task StopArchiveAsync(CancellationToken ct)
    {
        if (RunningArchive() is not { } pid || await Daemon.StopAsync(ArchivePid, ArchiveMarkers, TimeSpan.FromSeconds(5), ct))
        {
            return;
        }

        if (ProcessControl.IsAlive(pid))
        {
            // bash runs its TERM trap only once the foreground command ends, and an upload's rclone retries for minutes
            // when the storage server goes away (local down stops it next): the archive, its subshells, rclone and
            // mariadb-binlog are ended together. An upload cut short has no manifest and is redone by the next archive.
            using var archive = Process.GetProcessById(pid);
            archive.Kill(entireProcessTree: true);
            _log.Warn($"the binlog archive (pid {pid}) did not stop within 5 s of SIGTERM; ended it and its children");
        }
    }

    public Task StopStorageAsync(CancellationToken ct) => _storage.StopAsync(ct);

    /// <summary>The operator's identity file (created on first use): what `backup verify` and `restore` decrypt with.</summary>
    public string Identity()
    {
        if (!File.Exists(_paths.BackupIdentityFile))
        {
            var keygen = ProcessRunner.Run("age-keygen");
            if (keygen.ExitCode != 0)
            {
                throw new OperationFailedException($"age-keygen failed; cannot create the local operator's backup identity: {keygen.StderrTail()}", "install age (scripts/install-prereqs).");
            }

            ReplicationPassword.WritePrivate(_paths, _paths.BackupIdentityFile, keygen.Stdout);
        }

        return _paths.BackupIdentityFile;
    }

    private string IdentityRecipient() =>
        File.ReadAllLines(Identity()).Select(l => l.Trim()).First(l => l.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..];

    private void WriteAgent(LocalState state, AgentCommand toolkit)
    {
        var files = BackupAgentRenderer.RenderAll(_renderer, _topology, _storage.Remote, "127.0.0.1");
        foreach (var file in files)
        {
            var path = Path.Combine(AgentRoot, file.RelativePath[(BackupHost.Name.Length + 1)..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text);
        }

        var cli = WriteToolkitLauncher(toolkit);
        var hostPaths = _paths.Host(BackupHost.Name);
        var recipients = Path.Combine(AgentRoot, "recipients-local.txt");
        File.WriteAllText(recipients, string.Join("\n", _topology.Backup.Recipients.Append(IdentityRecipient())) + "\n");
        WriteArchiveClient(state);
        // The archive streams through the writer endpoint, which follows the live primary across role changes.
        var primaryPort = state.WriterPort ?? state.Hosts[_topology.Primary.Name].Port;
        // Each host where the archive streams from it directly (in its site's namespace with siteNamespaces).
        var network = new LocalNetwork(_topology, state, _paths.Root);
        var overrides = new StringBuilder();
        overrides.Append("# Local target overrides of backup.env: paths, the local storage server, the writer endpoint, and the hosts' own addresses.\n");
        overrides.Append("# Written by HaInfra; the rendered backup.env beside it is what a cloud host gets.\n");
        foreach (var (name, value) in new[]
        {
            (AgentVariables.MariaDbDefaults, hostPaths.LocalCnf), (AgentVariables.MariaDbSocket, hostPaths.Socket), (AgentVariables.StateDir, Path.Combine(AgentRoot, "state")),
            (AgentVariables.RecipientsFile, recipients), (AgentVariables.ArchiveClientCnf, _paths.ArchiveClientCnf), (AgentVariables.PrimaryHost, "127.0.0.1"),
            (AgentVariables.PrimaryPort, primaryPort.ToString(CultureInfo.InvariantCulture)), (AgentVariables.Cli, cli),
            (AgentVariables.ArchiveSources, BackupAgentRenderer.ArchiveSources(_topology.Hosts.Select(h => (h.Name, network.AddressOf(h), state.Hosts[h.Name].Port)))),
            (AgentVariables.OffsiteBucket, _storage.OffsiteRemoteBucket), (AgentVariables.MetricsDir, hostPaths.MetricsDir),
        })
        {
            overrides.Append(CultureInfo.InvariantCulture, $"{name}={value}\n");
        }

        File.WriteAllText(Agent.EnvOverride, overrides.ToString());
        Directory.CreateDirectory(_paths.AgentDir);
        var p = _topology.Backup.Schedules;
        File.WriteAllText(ScheduleFile, JsonSerializer.Serialize(new LocalSchedule(
            Agent, p.ByKind().ToDictionary(s => s.Kind, s => s.Calendar),
            _topology.Backup.BinlogArchive ? ArchivePid : null, Path.Combine(_paths.AgentDir, "binlog-archive.log")), OperationsJson.Default.LocalSchedule));
    }

    /// <summary>
    /// The agent's /usr/local/bin/hainfra: a launcher of the binary running now (the checkout's native build, or the
    /// tests' `dotnet hainfra.dll`), so the agent finds the toolkit where a cloud host has it.
    /// </summary>
    private string WriteToolkitLauncher(AgentCommand toolkit)
    {
        var launcher = Path.Combine(AgentRoot, "usr", "local", "bin", "hainfra");
        Directory.CreateDirectory(Path.GetDirectoryName(launcher)!);
        static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        File.WriteAllText(launcher, $"#!/bin/sh\nexec {string.Join(" ", toolkit.Args.Prepend(toolkit.Program).Select(Quote))} \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return launcher;
    }

    private void WriteArchiveClient(LocalState state)
    {
        var password = ReplicationPassword.LoadOrCreate(_paths, _paths.ArchivePasswordFile);
        var tls = _topology.Tls ? $"ssl-ca={Path.Combine(_paths.TlsDir, TlsFiles.CaFile)}\nssl-verify-server-cert\n" : "";
        ReplicationPassword.WritePrivate(_paths, _paths.ArchiveClientCnf,
            $"[client]\nuser={Bootstrap.ReplicationAccount.ArchiveUser}\npassword={password.Reveal()}\n{tls}");
    }

    private static string Tail(string text) =>
        string.Join("\n", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15).Select(l => "    " + l));
}

/// <summary>What the local scheduler runs: the agent script, its settings, and the calendar per backup kind.</summary>
public sealed record LocalSchedule(LocalAgentScript Agent, IReadOnlyDictionary<string, string> Calendar, string? ArchivePid, string ArchiveLog);

/// <summary>The backup agent as the local target runs it: the rendered script and settings, plus the local override of paths.</summary>
public sealed record LocalAgentScript(string Script, string Env, string EnvOverride)
{
    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        [AgentVariables.EnvFile] = Env,
        [AgentVariables.EnvOverrideFile] = EnvOverride,
    };

    /// <summary>One run of the agent, as its timer would start it; <paramref name="extra"/> adds variables for this run only.
    /// A failed backup run is followed by `release-held`, as the unit's ExecStopPost follows it on a host: a run killed
    /// while it held the replica's applier does not leave it stopped until the next run.</summary>
    public async Task<ProcessResult> RunAsync(string kind, IReadOnlyDictionary<string, string>? extra, CancellationToken ct)
    {
        KeyValuePair<string, string?>[] environment =
            [.. Environment().Concat(extra ?? new Dictionary<string, string>()).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))];
        var run = await ProcessRunner.RunAsync("/bin/bash", [Script, kind], ct, environment);
        if (run.ExitCode == 0 || kind is not ("full" or "incremental" or "logical"))
        {
            return run;
        }

        var release = await ProcessRunner.RunAsync("/bin/bash", [Script, "release-held"], ct, [.. environment, new(DrillVariable, null)]);
        return run with { Stderr = run.Stderr + release.Stderr };
    }

    /// <summary>The agent's steps in a run's log ("… hainfra-backup full: step stream: …"), in order.</summary>
    public static IEnumerable<(string Name, string Detail)> Steps(string kind, string stderr) =>
        stderr.Split('\n')
            .Select(line => line.Split($" hainfra-backup {kind}: step ", 2))
            .Where(parts => parts.Length == 2 && parts[1].Contains(": ", StringComparison.Ordinal))
            .Select(parts => (parts[1][..parts[1].IndexOf(": ", StringComparison.Ordinal)], parts[1][(parts[1].IndexOf(": ", StringComparison.Ordinal) + 2)..]));

    /// <summary>The reliability drill's failpoint variable, which the agent's `step` reads: removed for release-held.</summary>
    private const string DrillVariable = "HAINFRA_DRILL_KILL_AFTER_STEP";

    /// <summary>The binlog archive, detached, with its PID in <paramref name="pidFile"/>.</summary>
    public Task SpawnArchiveAsync(string pidFile, string logFile) =>
        Daemon.SpawnAsync("/bin/bash", [Script, "binlog-archive"], pidFile, logFile, Environment());
}
