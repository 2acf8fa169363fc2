using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// A private DNS zone linked to every VNet, with the records the aws program has: one per host, primary.&lt;zone&gt;
/// and replicas.&lt;zone&gt;. Short TTLs, so a switchover that repoints them takes effect quickly. The two endpoint
/// records are created pointing at the initial primary and its replicas; from then on the role changes own them
/// (<c>ignoreChanges: [records]</c>), so `pulumi up` after a failover never points writes back at the old primary.
/// </summary>
internal static class Dns
{
    public const int HostTtl = 300;
    public const int EndpointTtl = 30;

    public static void Add(AzureContext ctx)
    {
        var zoneName = ctx.Topology.Network.DnsZone;
        var group = ctx.Regions[ctx.PrimaryRegion].Group["name"];
        var zone = ctx.Graph.Add("dns_zone", "azure:privatedns:Zone", P.Map(
            ("name", zoneName),
            ("resourceGroupName", group),
            ("tags", ctx.Tags())), ctx.Via());
        foreach (var region in ctx.Topology.Regions)
        {
            ctx.Graph.Add(AzureNames.Regional("dns-link", region), "azure:privatedns:ZoneVirtualNetworkLink", P.Map(
                ("name", $"hainfra-{ctx.Stack}-{region}"),
                ("resourceGroupName", group),
                ("privateDnsZoneName", zone["name"]),
                ("virtualNetworkId", ctx.Regions[region].VNet["id"]),
                ("registrationEnabled", false),
                ("tags", ctx.Tags())), ctx.Via());
        }

        foreach (var host in ctx.Topology.Hosts)
        {
            Record(ctx, zone, AzureNames.Host(host.Name, "dns"), host.Name, HostTtl, [host]);
        }

        var initial = ctx.Topology.InitialPrimary;
        Record(ctx, zone, "dns_primary", "primary", EndpointTtl, [initial], ownedByRoleChanges: true);
        var replicas = ctx.Topology.Hosts.Where(h => h != initial).ToList();
        if (replicas.Count > 0)
        {
            Record(ctx, zone, "dns_replicas", "replicas", EndpointTtl, replicas, ownedByRoleChanges: true);
        }
    }

    private static void Record(AzureContext ctx, Resource zone, string name, string label, int ttl, IReadOnlyList<Host> hosts, bool ownedByRoleChanges = false) =>
        ctx.Graph.Add(name, "azure:privatedns:ARecord", P.Map(
            ("name", label),
            ("zoneName", zone["name"]),
            ("resourceGroupName", ctx.Regions[ctx.PrimaryRegion].Group["name"]),
            ("ttl", ttl),
            ("records", P.List(hosts.Select(h => (PValue)ctx.Hosts[h.Name].Vm["privateIpAddress"]))),
            ("tags", ctx.Tags())),
            ownedByRoleChanges ? ctx.Via(("ignoreChanges", P.Texts(["records"]))) : ctx.Via());
}
