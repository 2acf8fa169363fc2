using HaInfra.Model;
using HaInfra.Operations.Planning;
using HaInfra.Operations.Sql;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Operations.Local;

public sealed partial class LocalTarget
{
    /// <summary>
    /// What local up would change, read-only: each host's my.cnf as local up would write it (rendered, then the local
    /// overlay) against its running server's values, or against the file on disk when the server is not running.
    /// </summary>
    public async Task<LocalPlan> PlanAsync(CancellationToken ct = default)
    {
        if (LocalState.Load(Paths) is not { } state)
        {
            return new LocalPlan(_topology.Stack, false, [.. _topology.Hosts.Select(h => new LocalHostPlan(h.Name, LocalHostStatus.ToAdd, new HostOptionChanges(h.Name, [])))]);
        }

        var binaries = MariaDbBinaries.Find() ?? new MariaDbBinaries("mariadbd", "mariadb-install-db");
        var network = Network(state);
        var hosts = new List<LocalHostPlan>();
        foreach (var host in _topology.Hosts)
        {
            if (!state.Hosts.TryGetValue(host.Name, out var hostState) || !new LocalServer(host.Name, Paths.Host(host.Name), binaries).IsInitialized)
            {
                hosts.Add(new LocalHostPlan(host.Name, LocalHostStatus.ToAdd, new HostOptionChanges(host.Name, [])));
                continue;
            }

            hosts.Add(await PlanHostAsync(host, hostState.Port, network, binaries, ct));
        }

        hosts.AddRange(state.Hosts.Keys.Where(n => !_topology.Hosts.Any(h => h.Name == n))
            .Select(n => new LocalHostPlan(n, LocalHostStatus.ToRemove, new HostOptionChanges(n, []))));
        return new LocalPlan(_topology.Stack, true, hosts);
    }

    private async Task<LocalHostPlan> PlanHostAsync(Host host, int port, LocalNetwork network, MariaDbBinaries binaries, CancellationToken ct)
    {
        var paths = Paths.Host(host.Name);
        var desired = OptionFile.Parse(MyCnfRenderer.Render(_renderer, _topology, host).Text)
            .Then(LocalOverlay.Render(host.Name, _topology.Stack, paths, OverridesFor(host, port, network)));
        var onDisk = OptionFile.Parse(ReadIfExists(paths.RenderedCnf)).Then(ReadIfExists(paths.LocalCnf));
        string? note = null;
        if (new LocalServer(host.Name, paths, binaries).IsRunning)
        {
            try
            {
                await using var client = await _connector.ConnectAsync(AdminOf(host.Name), ct);
                var rows = await client.QueryAsync("SHOW GLOBAL VARIABLES", ct);
                var running = rows.ToDictionary(r => r.Text("Variable_name")!.ToLowerInvariant(), r => r.Text("Value"), StringComparer.Ordinal);
                return new LocalHostPlan(host.Name, LocalHostStatus.Running, RunningOptions.Compare(host.Name, desired, onDisk, running));
            }
            catch (SqlOperationException e) when (e.IsConnectionFailure)
            {
                note = $"running but not answering ({e.Error}); compared with its my.cnf on disk";
            }
        }

        return new LocalHostPlan(host.Name, LocalHostStatus.Stopped, MyCnfDiff.Compare(host.Name, onDisk, desired), note);
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
