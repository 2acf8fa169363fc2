using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HaInfra.Model;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Monitoring;
using HaInfra.Operations.Processes;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;

namespace HaInfra.Operations.Local;

/// <summary>One alert as Prometheus reports it (GET /api/v1/alerts).</summary>
public sealed record ActiveAlert(string Name, string State, string Severity, string? Host, DateTimeOffset? Since, string Summary, string? Error);

/// <summary>
/// The local target's monitoring (local up --monitoring): the Debian packages' real prometheus-mysqld-exporter and
/// prometheus-node-exporter per host, and one Prometheus loading the stack's rendered alert rules, all on loopback.
/// Scrapes and rule evaluations run every <see cref="Interval"/>, so a drill sees an alert within its rule's
/// <c>for:</c> plus a few seconds; the rules are the same text a cloud stack gets.
/// </summary>
public sealed class LocalMonitoring
{
    /// <summary>Scrape and evaluation interval of the local Prometheus.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    // Ready in about 0.2 s here; a CI run once saw it silent for 30 s right after start (empty log, process alive;
    // the cause was not seen: perhaps a slow start under load), so the wait is generous and the error says its state.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Topology _topology;
    private readonly LocalPaths _paths;
    private readonly LocalState _state;
    private readonly TemplateRenderer _renderer;
    private readonly IStepLog _log;

    public LocalMonitoring(Topology topology, LocalPaths paths, LocalState state, TemplateRenderer renderer, IStepLog log)
    {
        _topology = topology;
        _paths = paths;
        _state = state;
        _renderer = renderer;
        _log = log;
    }

    public string Dir => _paths.MonitoringDir;

    public string ConfigFile => Path.Combine(Dir, "prometheus.yml");

    public string RulesFile => Path.Combine(Dir, $"{_topology.Stack}.rules.yml");

    public string PrometheusUrl => $"http://127.0.0.1:{_state.PrometheusPort}";

    private string PrometheusPid => Path.Combine(Dir, "prometheus.pid");

    private static string ExporterPid(string dir, string host, string kind) => Path.Combine(dir, $"{host}-{kind}-exporter.pid");

    private static string Listen(int? port) => $"--web.listen-address=127.0.0.1:{port}";

    /// <summary>
    /// The mysqld exporter's option file flag: never read (DATA_SOURCE_NAME is set), it puts this stack's state
    /// directory in the exporter's command line, which is how its pid is recognized as ours.
    /// </summary>
    private string NodeExporterMarker(string host) => $"--collector.textfile.directory={_paths.Host(host).MetricsDir}";

    private string MysqldExporterMarker(string host) => $"--config.my-cnf={Path.Combine(Dir, $"{host}-exporter.my.cnf")}";

    public bool IsRunning => Daemon.RunningPid(PrometheusPid, $"--config.file={ConfigFile}") is not null;

    private static readonly (string Program, string Package)[] Binaries =
    [
        ("/usr/bin/prometheus", "prometheus"),
        ("/usr/bin/prometheus-mysqld-exporter", "prometheus-mysqld-exporter"),
        ("/usr/bin/prometheus-node-exporter", "prometheus-node-exporter"),
    ];

    /// <summary>Exporters and Prometheus running with the current rules; started where missing, Prometheus reloaded when its files changed.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        var missing = Binaries.Where(b => !File.Exists(b.Program)).Select(b => b.Package).ToList();
        if (missing.Count > 0)
        {
            throw new OperationFailedException(
                $"local monitoring needs {string.Join(", ", missing)} (Debian packages), and they are not installed.",
                $"apt-get install {string.Join(' ', missing)} (scripts/install-prereqs does), then run local up --monitoring again.");
        }

        LocalPortPlan.AssignMonitoring(_topology, _state, _paths);
        Directory.CreateDirectory(Dir);
        var changed = await WriteFilesAsync(ct);
        foreach (var host in _topology.Hosts)
        {
            await EnsureExportersAsync(host, ct);
        }

        if (IsRunning)
        {
            if (changed)
            {
                using var reload = await Http.PostAsync($"{PrometheusUrl}/-/reload", null, ct);
                _log.Step("monitoring", $"Prometheus reloaded its configuration and rules ({(int)reload.StatusCode})");
            }

            return;
        }

        await Daemon.SpawnAsync("/usr/bin/prometheus",
        [
            $"--config.file={ConfigFile}", $"--storage.tsdb.path={Path.Combine(Dir, "data")}", "--storage.tsdb.retention.time=2d",
            Listen(_state.PrometheusPort), "--web.enable-lifecycle",
        ], PrometheusPid, Path.Combine(Dir, "prometheus.log"));
        await WaitReadyAsync(ct);
        _log.Step("monitoring", $"Prometheus on {PrometheusUrl} with {_topology.Stack}'s alert rules ({RulesFile}); ./hainfra local alerts lists them");
    }

    /// <summary>Stops Prometheus and every exporter of the stack (only processes whose pid file and command line are ours).</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var stopped = 0;
        if (Daemon.RunningPid(PrometheusPid, $"--config.file={ConfigFile}") is not null)
        {
            stopped += await Daemon.StopAsync(PrometheusPid, $"--config.file={ConfigFile}", TimeSpan.FromSeconds(15), ct) ? 1 : 0;
        }

        foreach (var host in _state.Hosts.Keys)
        {
            foreach (var (kind, marker) in new[] { ("mysqld", MysqldExporterMarker(host)), ("node", NodeExporterMarker(host)) })
            {
                var pidFile = ExporterPid(Dir, host, kind);
                if (Daemon.RunningPid(pidFile, marker) is not null)
                {
                    stopped += await Daemon.StopAsync(pidFile, marker, TimeSpan.FromSeconds(10), ct) ? 1 : 0;
                }
            }
        }

        if (stopped > 0)
        {
            _log.Step("stop", $"monitoring stopped ({stopped} processes: Prometheus and the exporters)");
        }
    }

    /// <summary>Firing and pending alerts, as the local Prometheus evaluates them now.</summary>
    public async Task<IReadOnlyList<ActiveAlert>> AlertsAsync(CancellationToken ct)
    {
        using var response = await Http.GetAsync($"{PrometheusUrl}/api/v1/alerts", ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return [.. json.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(a =>
        {
            var labels = a.GetProperty("labels");
            var annotations = a.GetProperty("annotations");
            string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
            DateTimeOffset? since = a.TryGetProperty("activeAt", out var at) && at.GetString() is { } s
                ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;
            return new ActiveAlert(Text(labels, "alertname") ?? "?", Text(a, "state") ?? "?", Text(labels, "severity") ?? "", Text(labels, "host"),
                since, Text(annotations, "summary") ?? "", Text(annotations, "error") is { Length: > 0 } error ? error : null);
        }).OrderBy(a => a.State == "firing" ? 0 : 1).ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Host, StringComparer.Ordinal)];
    }

    private async Task<bool> WriteFilesAsync(CancellationToken ct)
    {
        var rules = await AlertPlan.RenderAsync(_renderer, _topology, await MountpointAsync(_paths.Root, ct), ct);
        var config = LocalPrometheusConfigRenderer.Render(_renderer, _topology.Stack, Interval, RulesFile,
            [.. _topology.Hosts.Select(h => new ScrapeTarget(h.Name, h.Site, _state.Hosts[h.Name].MysqldExporterPort!.Value, _state.Hosts[h.Name].NodeExporterPort!.Value))]);
        var changed = false;
        foreach (var (path, text) in new[] { (RulesFile, rules), (ConfigFile, config) })
        {
            if (!File.Exists(path) || await File.ReadAllTextAsync(path, ct) != text)
            {
                await File.WriteAllTextAsync(path, text, ct);
                changed = true;
            }
        }

        var check = await ProcessRunner.RunAsync("/usr/bin/promtool", ["check", "config", ConfigFile], ct);
        return check.ExitCode != 0
            ? throw new OperationFailedException($"promtool rejects {ConfigFile}:\n{(check.Stdout + check.Stderr).Trim()}", "this is a bug in the monitoring templates; report it with the files.")
            : changed;
    }

    private async Task EnsureExportersAsync(Host host, CancellationToken ct)
    {
        var ports = _state.Hosts[host.Name];
        var hostPaths = _paths.Host(host.Name);
        Directory.CreateDirectory(hostPaths.MetricsDir);
        var mysqldPid = ExporterPid(Dir, host.Name, "mysqld");
        if (Daemon.RunningPid(mysqldPid, MysqldExporterMarker(host.Name)) is null)
        {
            // As root over the server's unix socket (socket authentication): no password to keep, like the cloud
            // hosts' exporter, which connects as the unix user prometheus.
            await Daemon.SpawnAsync("/usr/bin/prometheus-mysqld-exporter", [Listen(ports.MysqldExporterPort), MysqldExporterMarker(host.Name)], mysqldPid,
                Path.Combine(Dir, $"{host.Name}-mysqld-exporter.log"),
                new Dictionary<string, string> { ["DATA_SOURCE_NAME"] = $"root@unix({hostPaths.Socket})/" });
        }

        var nodePid = ExporterPid(Dir, host.Name, "node");
        if (Daemon.RunningPid(nodePid, NodeExporterMarker(host.Name)) is null)
        {
            await Daemon.SpawnAsync("/usr/bin/prometheus-node-exporter",
            [
                Listen(ports.NodeExporterPort), "--collector.disable-defaults", "--collector.textfile", "--collector.filesystem",
                NodeExporterMarker(host.Name),
            ], nodePid, Path.Combine(Dir, $"{host.Name}-node-exporter.log"));
        }
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        // The pid file was written by the spawn just before, so the pid is ours: whether it lives is the question, not its
        // command line. A process still in its exec (state D, loading its binary) shows an empty /proc/PID/cmdline, and
        // the marker check (IsRunning) took that for an exit: "(it exited); pid N (prometheus, state D)" in a CI run.
        var pid = ProcessControl.ReadPid(PrometheusPid);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            try
            {
                using var ready = await Http.GetAsync($"{PrometheusUrl}/-/ready", ct);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (pid is not { } alive || !ProcessControl.IsAlive(alive))
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        var log = Path.Combine(Dir, "prometheus.log");
        var lines = File.Exists(log) ? File.ReadLines(log).TakeLast(5).Select(l => $"  {l}").ToList() : ["  (no log)"];
        var tail = lines.Count > 0 ? string.Join("\n", lines) : "  (empty: it had not started its main program yet)";
        var process = pid is { } spawned ? ProcessControl.Describe(spawned) : "no pid file";
        var waited = clock.Elapsed < StartTimeout ? $"it exited after {clock.Elapsed.TotalSeconds:0.0} s" : $"not ready within {StartTimeout.TotalSeconds:0} s";
        throw new OperationFailedException(
            $"Prometheus did not become ready on {PrometheusUrl} ({waited}); {process}. The end of its log:\n{tail}",
            $"see {log}; a port taken by another process is given up in the stack's state.json (PrometheusPort): remove it there and run local up again.");
    }

    /// <summary>The mountpoint of the filesystem holding <paramref name="path"/>: the local hosts' "data disk".</summary>
    private static async Task<string> MountpointAsync(string path, CancellationToken ct)
    {
        var df = await ProcessRunner.RunAsync("df", ["--output=target", path], ct);
        return df.ExitCode == 0 ? df.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim() : "/";
    }
}
