using System.Globalization;
using HaInfra.Model;

namespace HaInfra.Rendering.MyCnf;

/// <summary>
/// Renders one host's server options from templates/my.cnf/&lt;flavour&gt;.cnf.sbn. Values that depend on role,
/// site and size are decided here; the template only lays them out.
/// </summary>
public static class MyCnfRenderer
{
    public const long BinlogExpireSeconds = 7 * 24 * 3600;

    /// <summary>Seconds of silence after which a replica reconnects: bounds how long a partitioned primary looks alive to its replicas.</summary>
    public const int NetTimeoutSeconds = 6;

    public static string TemplateFor(ServerFlavor flavor) =>
        flavor == ServerFlavor.MariaDb ? "my.cnf/mariadb" : "my.cnf/mysql";

    public static RenderedFile Render(TemplateRenderer renderer, Topology topology, Host host)
    {
        var template = TemplateFor(topology.Flavor);
        var entry = renderer.Catalog.Get(template);
        var text = renderer.Render(template, View(topology, host, TemplateRenderer.GeneratedBy(entry, $"host {host.Name} of stack {topology.Stack}")));
        if (GaleraCnfRenderer.Applies(topology, host))
        {
            text += "\n" + GaleraCnfRenderer.Render(renderer, topology, host);
        }

        return new RenderedFile($"{host.Name}/my.cnf", text, template);
    }

    public static IReadOnlyList<RenderedFile> RenderAll(TemplateRenderer renderer, Topology topology) =>
        [.. topology.Hosts.Select(h => Render(renderer, topology, h))];

    private static Dictionary<string, object> View(Topology topology, Host host, string generatedBy)
    {
        var site = topology.SiteOf(host);
        var slaveSemiSync = site.Mode == ReplicationMode.SemiSync;
        var size = host.Size;
        var pairSlot = ActivePassivePair.Slot(topology, host.Name);
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = generatedBy,
            ["host"] = host.Name,
            ["site"] = site.Name,
            ["siteKind"] = Spellings.SiteKind.Of(site.Kind),
            ["siteMode"] = Spellings.ReplicationMode.Of(site.Mode),
            ["stack"] = topology.Stack,
            ["version"] = topology.Version.ToString(),
            ["serverId"] = host.ServerId.ToString(CultureInfo.InvariantCulture),
            ["binlogExpireSeconds"] = BinlogExpireSeconds.ToString(CultureInfo.InvariantCulture),
            ["parallelWorkers"] = topology.Replication.ParallelWorkers.ToString(CultureInfo.InvariantCulture),
            ["netTimeoutSeconds"] = NetTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["semiSyncNote"] = SemiSyncNote(topology.PrimaryWaitsForSemiSync, slaveSemiSync),
            ["semiSyncSlave"] = OnOff(slaveSemiSync),
            ["semiSyncTimeoutMs"] = topology.Replication.SemiSyncTimeoutMs.ToString(CultureInfo.InvariantCulture),
            ["semiSyncWaitPoint"] = Spellings.WaitPointServer.Of(topology.Replication.WaitPoint),
            ["sizeClass"] = size.Name,
            ["memoryGb"] = size.MemoryGb.ToString(CultureInfo.InvariantCulture),
            ["bufferPoolMb"] = size.BufferPoolMb.ToString(CultureInfo.InvariantCulture),
            ["redoLogMb"] = RedoLogMb(size).ToString(CultureInfo.InvariantCulture),
            ["redoLogCapacityMb"] = (2 * RedoLogMb(size)).ToString(CultureInfo.InvariantCulture),
            ["maxConnections"] = size.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ["tls"] = topology.Tls,
            ["pairWriter"] = pairSlot is not null,
            ["pairHosts"] = string.Join(", ", ActivePassivePair.Members(topology)),
            ["gtidDomainId"] = pairSlot is { } slot ? ActivePassivePair.DomainId(slot).ToString(CultureInfo.InvariantCulture) : "",
            ["autoIncrementIncrement"] = ActivePassivePair.Writers.ToString(CultureInfo.InvariantCulture),
            ["autoIncrementOffset"] = pairSlot?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
    }

    /// <summary>Redo log about a quarter of the buffer pool, capped at 4 GiB: enough for an hour of heavy writes.</summary>
    private static int RedoLogMb(SizeClass size) => Math.Min(4096, size.BufferPoolMb / 4);

    private static string OnOff(bool on) => on ? "ON" : "OFF";

    /// <summary>
    /// Source side off in every file: HaInfra turns it on for the live primary only. Measured on MariaDB 10.11: a
    /// replica with it on stalls its applier for the whole timeout on the first event it applies.
    /// </summary>
    private static string SemiSyncNote(bool stackWaits, bool replica) => (stackWaits, replica) switch
    {
        (true, true) => "the source side is turned on by HaInfra for the live primary only (it waits for one semi-sync\n# replica per commit, then falls back to async after the timeout); as a replica this host acknowledges what it receives.",
        (true, false) => "the source side is turned on by HaInfra for the live primary only; as a replica this host\n# replicates asynchronously (its site is async).",
        _ => "off; no replica site asks for it.",
    };
}
