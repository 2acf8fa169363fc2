using HaInfra.Model.Network;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// One security group per region for the database hosts. In: 3306 only from the declared application networks and
/// from the database subnets of every region (other regions over the peering). Out: HTTP(S) for packages and AWS
/// APIs, 3306 to the database subnets for replication. No SSH: operators use SSM.
/// </summary>
internal static class SecurityGroups
{
    public const int MySqlPort = 3306;

    public static void Add(AwsContext ctx)
    {
        var databaseSubnets = ctx.Topology.Regions
            .SelectMany(r => ctx.Regions[r].Subnets.Keys.Select(zone => ctx.Topology.Network.For(r).ZoneSubnet(zone).ToString()))
            .ToList();
        foreach (var region in ctx.Topology.Regions)
        {
            var ingress = new List<PValue> { Rule(MySqlPort, databaseSubnets, "MariaDB from the stack's database hosts (replication, promotion)") };
            if (ctx.Topology.Network.ApplicationCidrs.Count > 0)
            {
                ingress.Add(Rule(MySqlPort, ctx.Topology.Network.ApplicationCidrs.Select(c => c.ToString()), "MariaDB from the declared application networks"));
            }

            var anywhere = new[] { Cidr.Anywhere.ToString() };
            var group = ctx.Graph.Add(AwsNames.Regional("db-sg", region), "aws:ec2:SecurityGroup", P.Map(
                ("description", $"HaInfra {ctx.Topology.Stack} database hosts in {region}"),
                ("vpcId", ctx.Regions[region].Vpc["id"]),
                ("ingress", P.List(ingress)),
                ("egress", P.List(
                    Rule(443, anywhere, "HTTPS: packages, SSM, CloudWatch, S3, KMS"),
                    Rule(80, anywhere, "HTTP: Debian package mirrors (packages are signature-checked)"),
                    Rule(MySqlPort, databaseSubnets, "MariaDB replication to the stack's database hosts"))),
                ("revokeRulesOnDelete", true),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-db-{region}"))), ctx.Via(region));
            ctx.Regions[region] = ctx.Regions[region] with { SecurityGroup = group };
        }
    }

    private static PMap Rule(int port, IEnumerable<string> cidrs, string description) => P.Map(
        ("protocol", "tcp"),
        ("fromPort", port),
        ("toPort", port),
        ("cidrBlocks", P.Texts(cidrs)),
        ("description", description));
}
