using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Per region: a VPC, a private subnet in each zone the stack uses and a private route table. Hosts get no public
/// address; their outbound HTTPS (packages, SSM, CloudWatch) leaves through one NAT gateway in a small public subnet,
/// and S3 traffic through a gateway endpoint. The primary region is peered with every other region.
/// </summary>
internal static class Network
{
    public static void Add(AwsContext ctx)
    {
        foreach (var region in ctx.Topology.Regions)
        {
            var net = ctx.Topology.Network.For(region);
            var via = ctx.Via(region);
            var vpc = ctx.Graph.Add(AwsNames.Regional("vpc", region), "aws:ec2:Vpc", P.Map(
                ("cidrBlock", net.VpcCidr.ToString()),
                ("enableDnsSupport", true),
                ("enableDnsHostnames", true),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{region}"))), via);

            var routes = ctx.Graph.Add(AwsNames.Regional("rt-private", region), "aws:ec2:RouteTable", P.Map(
                ("vpcId", vpc["id"]),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{region}-private"))), via);

            var zones = ctx.Topology.Sites.Where(s => s.Region == region).SelectMany(s => s.Zones).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var subnets = new Dictionary<string, Resource>(StringComparer.Ordinal);
            foreach (var zone in zones)
            {
                var subnet = ctx.Graph.Add(AwsNames.Regional("subnet", zone), "aws:ec2:Subnet", P.Map(
                    ("vpcId", vpc["id"]),
                    ("cidrBlock", net.ZoneSubnet(zone).ToString()),
                    ("availabilityZone", zone),
                    ("mapPublicIpOnLaunch", false),
                    ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{zone}-private"))), via);
                ctx.Graph.Add(AwsNames.Regional("rta", zone), "aws:ec2:RouteTableAssociation", P.Map(
                    ("subnetId", subnet["id"]),
                    ("routeTableId", routes["id"])), via);
                subnets[zone] = subnet;
            }

            AddEgress(ctx, region, vpc, routes, subnets.Keys.First());
            ctx.Graph.Add(AwsNames.Regional("s3-endpoint", region), "aws:ec2:VpcEndpoint", P.Map(
                ("vpcId", vpc["id"]),
                ("serviceName", $"com.amazonaws.{region}.s3"),
                ("vpcEndpointType", "Gateway"),
                ("routeTableIds", P.List(routes["id"])),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{region}-s3"))), via);
            ctx.Regions[region] = new RegionResources(vpc, subnets, routes, null!);
        }

        foreach (var region in ctx.Topology.Regions.Skip(1))
        {
            AddPeering(ctx, ctx.PrimaryRegion, region);
        }
    }

    // One NAT gateway per region (in the first zone): outbound only, nothing can connect in through it.
    private static void AddEgress(AwsContext ctx, string region, Resource vpc, Resource privateRoutes, string zone)
    {
        var via = ctx.Via(region);
        var net = ctx.Topology.Network.For(region);
        var name = $"hainfra-{ctx.Topology.Stack}-{region}";
        var igw = ctx.Graph.Add(AwsNames.Regional("igw", region), "aws:ec2:InternetGateway", P.Map(
            ("vpcId", vpc["id"]), ("tags", AwsContext.Tags(name))), via);
        var publicSubnet = ctx.Graph.Add(AwsNames.Regional("subnet-nat", region), "aws:ec2:Subnet", P.Map(
            ("vpcId", vpc["id"]),
            ("cidrBlock", net.PublicSubnet.ToString()),
            ("availabilityZone", zone),
            ("mapPublicIpOnLaunch", false),
            ("tags", AwsContext.Tags($"{name}-nat"))), via);
        var publicRoutes = ctx.Graph.Add(AwsNames.Regional("rt-nat", region), "aws:ec2:RouteTable", P.Map(
            ("vpcId", vpc["id"]), ("tags", AwsContext.Tags($"{name}-nat"))), via);
        ctx.Graph.Add(AwsNames.Regional("route-igw", region), "aws:ec2:Route", P.Map(
            ("routeTableId", publicRoutes["id"]), ("destinationCidrBlock", "0.0.0.0/0"), ("gatewayId", igw["id"])), via);
        ctx.Graph.Add(AwsNames.Regional("rta-nat", region), "aws:ec2:RouteTableAssociation", P.Map(
            ("subnetId", publicSubnet["id"]), ("routeTableId", publicRoutes["id"])), via);
        var eip = ctx.Graph.Add(AwsNames.Regional("nat-eip", region), "aws:ec2:Eip", P.Map(
            ("domain", "vpc"), ("tags", AwsContext.Tags($"{name}-nat"))), via);
        var nat = ctx.Graph.Add(AwsNames.Regional("nat", region), "aws:ec2:NatGateway", P.Map(
            ("allocationId", eip["id"]),
            ("subnetId", publicSubnet["id"]),
            ("connectivityType", "public"),
            ("tags", AwsContext.Tags(name))), ctx.Via(region, ("dependsOn", P.List(igw.Ref))));
        ctx.Graph.Add(AwsNames.Regional("route-nat", region), "aws:ec2:Route", P.Map(
            ("routeTableId", privateRoutes["id"]), ("destinationCidrBlock", "0.0.0.0/0"), ("natGatewayId", nat["id"])), via);
    }

    // Cross-region peering: requested from the primary region, accepted in the other; routes both ways.
    private static void AddPeering(AwsContext ctx, string primary, string other)
    {
        var name = $"hainfra-{ctx.Topology.Stack}-{primary}-{other}";
        var peering = ctx.Graph.Add(AwsNames.Regional("peering", other), "aws:ec2:VpcPeeringConnection", P.Map(
            ("vpcId", ctx.Regions[primary].Vpc["id"]),
            ("peerVpcId", ctx.Regions[other].Vpc["id"]),
            ("peerRegion", other),
            ("autoAccept", false),
            ("tags", AwsContext.Tags(name))), ctx.Via(primary));
        var accepter = ctx.Graph.Add(AwsNames.Regional("peering-accept", other), "aws:ec2:VpcPeeringConnectionAccepter", P.Map(
            ("vpcPeeringConnectionId", peering["id"]),
            ("autoAccept", true),
            ("tags", AwsContext.Tags(name))), ctx.Via(other));
        foreach (var (from, to) in new[] { (primary, other), (other, primary) })
        {
            ctx.Graph.Add($"route-peer_{from}_to_{to}", "aws:ec2:Route", P.Map(
                ("routeTableId", ctx.Regions[from].PrivateRouteTable["id"]),
                ("destinationCidrBlock", ctx.Topology.Network.For(to).VpcCidr.ToString()),
                ("vpcPeeringConnectionId", accepter["id"])), ctx.Via(from));
        }
    }
}
