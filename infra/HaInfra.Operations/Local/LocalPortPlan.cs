using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Model.Galera;

namespace HaInfra.Operations.Local;

/// <summary>
/// Which loopback port each host, the storage server and the endpoints get. Ports are kept across runs; hosts added
/// later continue after the stack's existing range; a port another process holds stops `local up` with the fix.
/// </summary>
internal static class LocalPortPlan
{
    /// <summary>Gives every host without a port the next free one, then the storage server and the endpoint; saves the state.</summary>
    public static void Assign(Topology topology, LocalState state, IReadOnlyDictionary<string, LocalServer> servers, LocalPaths paths)
    {
        var basePort = topology.Local.BasePort ?? LocalTarget.DefaultBasePort;
        var used = Used(state);

        // Hosts added later continue after the stack's existing ports, so a stack keeps one contiguous range.
        var next = used.Count > 0 ? used.Max() + 1 : basePort;
        foreach (var host in topology.Hosts.Where(h => !state.Hosts.ContainsKey(h.Name)))
        {
            while (used.Contains(next))
            {
                next++;
            }

            state.Hosts[host.Name] = new LocalHostState { Port = next };
            used.Add(next);
        }

        if (topology.Backup.Enabled && topology.Backup.Destination != BackupDestination.Directory && state.StoragePort is null)
        {
            state.StoragePort = NextFree(used, ref next);
        }

        if (state.WriterPort is null)
        {
            state.WriterPort = NextFree(used, ref next);
            state.ReaderPort = NextFree(used, ref next);
        }

        // Galera nodes: three ports each (group communication, IST, SST), after the stack's others.
        foreach (var node in GaleraCluster.Nodes(topology).Where(n => state.Hosts[n.Name].GaleraPort is null))
        {
            while (used.Contains(next) || used.Contains(next + 1) || used.Contains(next + 2))
            {
                next++;
            }

            state.Hosts[node.Name].GaleraPort = next;
            used.UnionWith([next, next + 1, next + 2]);
            next += 3;
        }

        if (LocalArbitrator.Applies(topology) && state.ArbitratorPort is null)
        {
            state.ArbitratorPort = NextFree(used, ref next);
        }

        // With site namespaces a server listens on its namespace's address, where nothing else can hold its port; the
        // same number on the root loopback may be some client's ephemeral port (Linux picks them from 32768-60999).
        var busy = servers.Values
            .Where(s => !topology.Local.SiteNamespaces && !s.IsRunning && !PortCheck.IsFree(state.Hosts[s.Name].Port))
            .Select(s => $"{s.Name} needs 127.0.0.1:{state.Hosts[s.Name].Port}")
            .ToList();
        if (busy.Count > 0)
        {
            throw new OperationFailedException(
                $"ports taken by other processes: {string.Join("; ", busy)}.",
                "stop whatever listens there, or set hainfra:local.basePort in the stack to a free range (before the first local up).");
        }

        state.Save(paths);
    }

    /// <summary>Ports for the exporters of every host and for Prometheus, after the stack's others; saves the state.</summary>
    public static void AssignMonitoring(Topology topology, LocalState state, LocalPaths paths)
    {
        var used = Used(state);
        var next = used.Count > 0 ? used.Max() + 1 : topology.Local.BasePort ?? LocalTarget.DefaultBasePort;
        // Listening ports of other processes are skipped: these come after the stack's own range, where another
        // stack (or a test's) may already listen.
        foreach (var host in topology.Hosts)
        {
            var ports = state.Hosts[host.Name];
            ports.MysqldExporterPort ??= NextFree(used, ref next, listening: true);
            ports.NodeExporterPort ??= NextFree(used, ref next, listening: true);
        }

        state.PrometheusPort ??= NextFree(used, ref next, listening: true);
        state.Save(paths);
    }

    private static HashSet<int> Used(LocalState state)
    {
        var used = state.Hosts.Values.Select(h => h.Port).Where(p => p > 0).ToHashSet();
        var others = state.Hosts.Values.SelectMany(h => new[] { h.MysqldExporterPort, h.NodeExporterPort })
            .Concat([state.StoragePort, state.WriterPort, state.ReaderPort, state.PrometheusPort, state.ArbitratorPort]);
        used.UnionWith(others.OfType<int>());
        used.UnionWith(state.Hosts.Values.Select(h => h.GaleraPort).OfType<int>().SelectMany(p => new[] { p, p + 1, p + 2 }));
        return used;
    }

    private static int NextFree(HashSet<int> used, ref int next, bool listening = false)
    {
        while (used.Contains(next) || (listening && !PortCheck.IsFree(next)))
        {
            next++;
        }

        used.Add(next);
        return next;
    }
}
