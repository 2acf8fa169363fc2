using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Galera;

namespace HaInfra.Rendering.MyCnf;

/// <summary>
/// The wsrep section of a Galera node's my.cnf, from templates/my.cnf/galera.cnf.sbn; appended to the host's file, so
/// the files of every other host (and of every other method) stay as they are.
/// </summary>
public static class GaleraCnfRenderer
{
    public const string Template = "my.cnf/galera";

    /// <summary>The OS user mariadbd runs as on a cloud host: mariabackup, run by the SST script as that user, logs in as it over the socket.</summary>
    public const string CloudSstUser = "mysql";

    /// <summary>gcache: a node away for minutes under moderate writes still rejoins by IST.</summary>
    public const int GcacheMb = 1024;

    public static bool Applies(Topology topology, Host host) => GaleraCluster.IsNode(topology, host);

    public static string Render(TemplateRenderer renderer, Topology topology, Host host)
    {
        var entry = renderer.Catalog.Get(Template);
        var nodes = GaleraCluster.Nodes(topology);
        var zone = topology.Network.DnsZone;
        return renderer.Render(Template, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"host {host.Name} of stack {topology.Stack}"),
            ["host"] = host.Name,
            ["node"] = (nodes.Select(n => n.Name).ToList().IndexOf(host.Name) + 1).ToString(CultureInfo.InvariantCulture),
            ["nodes"] = nodes.Count.ToString(CultureInfo.InvariantCulture),
            ["clusterName"] = GaleraCluster.Name(topology),
            // The hosts' private DNS names (the stack's private zone has one record per host).
            ["clusterAddresses"] = string.Join(",", nodes.Select(n => $"{n.Name}.{zone}")),
            ["nodeAddress"] = $"{host.Name}.{zone}",
            ["gcacheMb"] = GcacheMb.ToString(CultureInfo.InvariantCulture),
            ["applierThreads"] = Math.Max(1, topology.Replication.ParallelWorkers).ToString(CultureInfo.InvariantCulture),
            ["sstUser"] = CloudSstUser,
            ["domainId"] = GaleraCluster.DomainId.ToString(CultureInfo.InvariantCulture),
            ["ownDomainId"] = GaleraCluster.OwnDomainId(topology, host).ToString(CultureInfo.InvariantCulture),
            ["tls"] = topology.Tls,
        });
    }
}
