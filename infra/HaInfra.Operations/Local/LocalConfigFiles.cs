using HaInfra.Model;
using HaInfra.Operations.Logging;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Operations.Local;

/// <summary>The files each local server starts from: the rendered my.cnf (as on a cloud host) and the local overlay.</summary>
internal static class LocalConfigFiles
{
    /// <summary>Renders every host's my.cnf and its local overlay, rewriting only files whose text changed.</summary>
    public static void Write(Topology topology, LocalPaths paths, TemplateRenderer renderer, LocalState state, IReadOnlyDictionary<string, LocalServer> servers,
        Func<Host, int, IReadOnlyList<Override>> overridesFor, IStepLog log)
    {
        var changedWhileRunning = new List<string>();
        foreach (var host in topology.Hosts)
        {
            var hostPaths = paths.Host(host.Name);
            Directory.CreateDirectory(hostPaths.Dir);
            var rendered = MyCnfRenderer.Render(renderer, topology, host).Text;
            var overlay = LocalOverlay.Render(host.Name, topology.Stack, hostPaths, overridesFor(host, state.Hosts[host.Name].Port));
            var changed = WriteIfChanged(hostPaths.RenderedCnf, rendered) | WriteIfChanged(hostPaths.LocalCnf, overlay);
            if (changed && servers[host.Name].IsRunning)
            {
                changedWhileRunning.Add(host.Name);
            }
        }

        if (changedWhileRunning.Count > 0)
        {
            log.Warn($"my.cnf changed for running servers {string.Join(", ", changedWhileRunning)}; run local down, then local up, to apply it.");
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
}
