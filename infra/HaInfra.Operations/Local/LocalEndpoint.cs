using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Operations.Endpoint;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Processes;
using HaInfra.Rendering;
using HaInfra.Rendering.Endpoint;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's writer endpoint: a real HAProxy on 127.0.0.1 (writer port: the live primary only; reader port:
/// the replicas), configured from templates/endpoint and moved by role changes through its runtime API.
/// </summary>
public sealed class LocalEndpoint : IWriterEndpoint
{
    private const string Writer = "writer";
    private const string Reader = "reader";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Topology _topology;
    private readonly LocalPaths _paths;
    private readonly LocalState _state;
    private readonly TemplateRenderer _renderer;
    private readonly IStepLog _log;

    public LocalEndpoint(Topology topology, LocalPaths paths, LocalState state, TemplateRenderer renderer, IStepLog log)
    {
        _topology = topology;
        _paths = paths;
        _state = state;
        _renderer = renderer;
        _log = log;
    }

    public string Describe => $"HAProxy writer 127.0.0.1:{Layout.WriterPort}, reader 127.0.0.1:{Layout.ReaderPort}";

    public EndpointLayout Layout => new(
        _state.WriterPort ?? throw new InvalidOperationException("no endpoint ports assigned"),
        _state.ReaderPort ?? throw new InvalidOperationException("no endpoint ports assigned"),
        Path.Combine(_paths.EndpointDir, "admin.sock"));

    public string ConfigFile => Path.Combine(_paths.EndpointDir, "haproxy.cfg");

    private string PidFile => Path.Combine(_paths.EndpointDir, "haproxy.pid");

    private HaproxyAdmin Admin => new(Layout.AdminSocket);

    public bool IsRunning => Daemon.RunningPid(PidFile, ConfigFile) is not null;

    private static readonly string[] BinaryPaths = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"];

    public static string? Binary() => BinaryPaths.FirstOrDefault(File.Exists);

    /// <summary>Running and routing writes to <paramref name="writer"/> only; starts HAProxy when it is not running.</summary>
    public async Task EnsureAsync(string writer, long term, CancellationToken ct)
    {
        WriteConfig(writer, term);
        if (IsRunning)
        {
            // Galera: the writer's backups take over and hand back by themselves; no role change moves this endpoint.
            if (!GaleraCluster.Applies(_topology) && await WriterAsync(ct) != writer)
            {
                await RouteWritesToAsync(writer, term, ct);
            }

            return;
        }

        var haproxy = Binary() ?? throw new OperationFailedException(
            "HAProxy is not installed; the local target's writer endpoint is an HAProxy.", "apt-get install haproxy (scripts/install-prereqs does), then run local up again.");
        var check = await ProcessRunner.RunAsync(haproxy, ["-c", "-q", "-f", ConfigFile], ct);
        if (check.ExitCode != 0)
        {
            throw new OperationFailedException($"HAProxy rejects {ConfigFile}:\n{check.Stderr.Trim()}", "this is a bug in the endpoint template; report it with the file.");
        }

        File.Delete(Layout.AdminSocket);
        await Daemon.SpawnAsync(haproxy, ["-db", "-f", ConfigFile], PidFile, Path.Combine(_paths.EndpointDir, "haproxy.log"));
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Layout.AdminSocket) || !IsRunning)
        {
            if (clock.Elapsed > StartTimeout)
            {
                throw new OperationFailedException(
                    $"HAProxy did not start within {StartTimeout.TotalSeconds:0} s.", $"read {Path.Combine(_paths.EndpointDir, "haproxy.log")}.");
            }

            await Task.Delay(20, ct);
        }

        _log.Step("endpoint", $"{Describe}: writes go to {writer} (term {term})");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (IsRunning && await Daemon.StopAsync(PidFile, ConfigFile, TimeSpan.FromSeconds(10), ct))
        {
            _log.Step("stop", "endpoint (HAProxy) stopped");
        }
    }

    public async Task DetachAsync(string host, CancellationToken ct)
    {
        await Admin.SendAsync($"set server {Writer}/{host} state maint; shutdown sessions server {Writer}/{host}", ct);
    }

    public async Task RouteWritesToAsync(string host, long term, CancellationToken ct)
    {
        // Every other server out first, so no instant has two writers; then the new one in, and the weights swapped.
        var others = _topology.Hosts.Where(h => h.Name != host).Select(h => h.Name).ToList();
        var commands = others.Select(o => $"set server {Writer}/{o} state maint; shutdown sessions server {Writer}/{o}")
            .Append($"set server {Writer}/{host} state ready")
            .Append($"set weight {Reader}/{host} 0")
            .Concat(others.Select(o => $"set weight {Reader}/{o} 1"));
        await Admin.SendAsync(string.Join("; ", commands), ct);
        WriteConfig(host, term);
    }

    public async Task<string?> WriterAsync(CancellationToken ct)
    {
        var open = (await Admin.ServerStatusAsync(Writer, ct)).Where(s => !s.Value.StartsWith("MAINT", StringComparison.Ordinal)).Select(s => s.Key).ToList();
        return open.Count switch
        {
            0 => null,
            1 => open[0],
            _ => throw new OperationFailedException($"the writer endpoint sends writes to {string.Join(" and ", open)}.", "run local up to route writes to the live primary only."),
        };
    }

    private void WriteConfig(string writer, long term)
    {
        Directory.CreateDirectory(_paths.EndpointDir);
        var network = new LocalNetwork(_topology, _state, _paths.Root);
        var servers = _topology.Hosts.Select(h => new EndpointServer(h.Name, network.AddressOf(h), _state.Hosts[h.Name].Port, GaleraCluster.IsNode(_topology, h))).ToList();
        var text = HaproxyConfigRenderer.Render(_renderer, _topology.Stack, Layout, servers, writer, term);
        var temp = ConfigFile + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, ConfigFile, overwrite: true);
    }
}
