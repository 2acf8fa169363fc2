using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// A Route 53 private zone associated with every VPC: one record per host, primary.&lt;zone&gt; for the primary and
/// replicas.&lt;zone&gt; for all replicas. Short TTLs, so a switchover that repoints them takes effect quickly. The two
/// endpoint records are created pointing at the initial primary and its replicas; from then on the role changes own
/// them (<c>ignoreChanges: [records]</c>), so `pulumi up` after a failover never points writes back at the old primary.
/// </summary>
internal static class Dns
{
    public const int HostTtl = 300;
    public const int EndpointTtl = 30;

    public static void Add(AwsContext ctx)
    {
        var zone = ctx.Topology.Network.DnsZone;
        var via = ctx.Via(ctx.PrimaryRegion);
        var hostedZone = ctx.Graph.Add("dns_zone", "aws:route53:Zone", P.Map(
            ("name", zone),
            ("comment", $"HaInfra {ctx.Topology.Stack}: database hosts and endpoints"),
            ("vpcs", P.List(ctx.Topology.Regions.Select(r => (PValue)P.Map(("vpcId", ctx.Regions[r].Vpc["id"]), ("vpcRegion", r))))),
            ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}"))), via);

        foreach (var host in ctx.Topology.Hosts)
        {
            Record(ctx, hostedZone, AwsNames.Host(host.Name, "dns"), ctx.Hosts[host.Name].PrivateDns, HostTtl, [host]);
        }

        var initial = ctx.Topology.InitialPrimary;
        Record(ctx, hostedZone, "dns_primary", $"primary.{zone}", EndpointTtl, [initial], ownedByRoleChanges: true);
        var replicas = ctx.Topology.Hosts.Where(h => h != initial).ToList();
        if (replicas.Count > 0)
        {
            Record(ctx, hostedZone, "dns_replicas", $"replicas.{zone}", EndpointTtl, replicas, ownedByRoleChanges: true);
        }
    }

    private static void Record(AwsContext ctx, Resource zone, string name, string fqdn, int ttl, IReadOnlyList<Host> hosts, bool ownedByRoleChanges = false) =>
        ctx.Graph.Add(name, "aws:route53:Record", P.Map(
            ("zoneId", zone["zoneId"]),
            ("name", fqdn),
            ("type", "A"),
            ("ttl", ttl),
            ("records", P.List(hosts.Select(h => (PValue)ctx.Hosts[h.Name].Instance["privateIp"])))),
            ownedByRoleChanges ? ctx.Via(ctx.PrimaryRegion, ("ignoreChanges", P.Texts(["records"]))) : ctx.Via(ctx.PrimaryRegion));
}
