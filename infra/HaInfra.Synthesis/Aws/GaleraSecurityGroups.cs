using HaInfra.Model.Galera;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// method: galera: one more security group per region holding Galera nodes, attached to those nodes only. Its members
/// reach each other on the Galera ports (group communication 4567, IST 4568, SST 4444) and nothing else does: the
/// DR replica and the application networks keep only 3306. Nodes in another region (allowGaleraOverWan) are let in by
/// their zones' subnets, since a group cannot name members across regions; a declared arbitrator (garbd) by its
/// address, on group communication only.
/// </summary>
internal static class GaleraSecurityGroups
{
    public static void Add(AwsContext ctx)
    {
        var nodes = GaleraCluster.Nodes(ctx.Topology);
        var regions = nodes.Select(n => ctx.Topology.SiteOf(n).Region).Distinct(StringComparer.Ordinal).ToList();
        foreach (var region in regions)
        {
            var remote = nodes.Where(n => ctx.Topology.SiteOf(n).Region != region)
                .Select(n => ctx.Topology.Network.For(ctx.Topology.SiteOf(n).Region).ZoneSubnet(n.Zone).ToString())
                .Distinct(StringComparer.Ordinal).ToList();
            // A declared arbitrator (garbd) takes part in group communication only.
            var arbitrator = Common.GaleraArbitrator.Prefix(ctx.Topology);
            var rules = GaleraCluster.Ports.Select(port => Rule(port, port == GaleraCluster.GcommPort && arbitrator is not null ? [.. remote, arbitrator] : remote)).ToList();
            ctx.GaleraGroups[region] = ctx.Graph.Add(AwsNames.Regional("galera-sg", region), "aws:ec2:SecurityGroup", P.Map(
                ("description", $"HaInfra {ctx.Topology.Stack} Galera nodes in {region}: group communication, IST and SST between the nodes only"),
                ("vpcId", ctx.Regions[region].Vpc["id"]),
                ("ingress", P.List(rules)),
                ("egress", P.List(rules)),
                ("revokeRulesOnDelete", true),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-galera-{region}"))), ctx.Via(region));
        }
    }

    private static PMap Rule(int port, List<string> remoteSubnets) => P.Map(
        ("protocol", "tcp"),
        ("fromPort", port),
        ("toPort", port),
        ("self", true),
        ("cidrBlocks", remoteSubnets.Count > 0 ? P.Texts(remoteSubnets) : null),
        ("description", port switch
        {
            GaleraCluster.GcommPort => "Galera group communication between the nodes (and the arbitrator, if declared)",
            GaleraCluster.IstPort => "Galera incremental state transfer (IST) between the nodes",
            _ => "Galera full state transfer (SST, mariabackup) between the nodes",
        }));
}
