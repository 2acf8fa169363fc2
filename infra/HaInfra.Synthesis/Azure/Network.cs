using HaInfra.Model.Galera;
using HaInfra.Model.Network;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Per region: a resource group, a VNet with a subnet per site and a network security group on every subnet. The
/// primary region's VNet is peered with every other region's, in both directions (an azure peering is one-way).
/// Nothing has a public IP: hosts reach package mirrors and Azure APIs through the subnets' default outbound access.
/// NSG in: 3306 only from the declared application networks and the stack's database subnets, then 3306 and SSH
/// denied from everywhere else (the default rules would let the whole VNet in). Out: HTTPS and HTTP to the internet,
/// 3306 within the VNets, everything else to the internet denied.
/// </summary>
internal static class Network
{
    public const int MySqlPort = 3306;

    public static void Add(AzureContext ctx)
    {
        var subnetCidrs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var region in ctx.Topology.Regions)
        {
            var net = ctx.Topology.Network.For(region);
            foreach (var (site, index) in ctx.Topology.Sites.Where(s => s.Region == region).Select((s, i) => (s, i)))
            {
                subnetCidrs[site.Name] = net.SiteSubnet(index).ToString();
            }
        }

        var databaseSubnets = ctx.Topology.Sites.Select(s => subnetCidrs[s.Name]).ToList();
        var galeraSubnets = GaleraCluster.Nodes(ctx.Topology).Select(n => subnetCidrs[ctx.Topology.SiteOf(n).Name]).Distinct(StringComparer.Ordinal).ToList();
        foreach (var region in ctx.Topology.Regions)
        {
            var net = ctx.Topology.Network.For(region);
            var name = $"hainfra-{ctx.Stack}-{region}";
            var group = ctx.Graph.Add(AzureNames.Regional("rg", region), "azure:core:ResourceGroup", P.Map(
                ("name", name),
                ("location", region),
                ("tags", ctx.Tags())), ctx.Via());
            var inRegion = new (string Key, PValue? Value)[] { ("resourceGroupName", group["name"]), ("location", region) };
            var vnet = ctx.Graph.Add(AzureNames.Regional("vnet", region), "azure:network:VirtualNetwork", P.Map([
                ("name", name),
                .. inRegion,
                ("addressSpaces", P.Texts([net.VpcCidr.ToString()])),
                ("tags", ctx.Tags())]), ctx.Via());
            var nsg = ctx.Graph.Add(AzureNames.Regional("nsg", region), "azure:network:NetworkSecurityGroup", P.Map([
                ("name", $"{name}-db"),
                .. inRegion,
                ("securityRules", P.List([.. Rules(ctx, databaseSubnets), .. GaleraRules(galeraSubnets, Common.GaleraArbitrator.Prefix(ctx.Topology))])),
                ("tags", ctx.Tags())]), ctx.Via());
            var subnets = new Dictionary<string, Resource>(StringComparer.Ordinal);
            foreach (var site in ctx.Topology.Sites.Where(s => s.Region == region))
            {
                var subnet = ctx.Graph.Add(AzureNames.Regional("subnet", site.Name), "azure:network:Subnet", P.Map(
                    ("name", $"hainfra-{ctx.Stack}-{site.Name}"),
                    ("resourceGroupName", group["name"]),
                    ("virtualNetworkName", vnet["name"]),
                    ("addressPrefixes", P.Texts([subnetCidrs[site.Name]])),
                    // Outbound only (packages, Azure APIs), through Azure's implicit SNAT: no public IP resource anywhere.
                    ("defaultOutboundAccessEnabled", true),
                    ("serviceEndpoints", P.Texts(["Microsoft.Storage", "Microsoft.KeyVault"]))), ctx.Via());
                ctx.Graph.Add(AzureNames.Regional("nsg-assoc", site.Name), "azure:network:SubnetNetworkSecurityGroupAssociation", P.Map(
                    ("subnetId", subnet["id"]),
                    ("networkSecurityGroupId", nsg["id"])), ctx.Via());
                subnets[site.Name] = subnet;
            }

            ctx.Regions[region] = new RegionNetwork(group, vnet, subnets, nsg);
        }

        foreach (var region in ctx.Topology.Regions.Skip(1))
        {
            Peer(ctx, ctx.PrimaryRegion, region);
            Peer(ctx, region, ctx.PrimaryRegion);
        }
    }

    private static void Peer(AzureContext ctx, string from, string to) =>
        ctx.Graph.Add($"peering_{from}_to_{to}", "azure:network:VirtualNetworkPeering", P.Map(
            ("name", $"hainfra-{ctx.Stack}-{from}-to-{to}"),
            ("resourceGroupName", ctx.Regions[from].Group["name"]),
            ("virtualNetworkName", ctx.Regions[from].VNet["name"]),
            ("remoteVirtualNetworkId", ctx.Regions[to].VNet["id"]),
            ("allowVirtualNetworkAccess", true),
            ("allowForwardedTraffic", false),
            ("allowGatewayTransit", false),
            ("useRemoteGateways", false)), ctx.Via());

    private static IEnumerable<PValue> Rules(AzureContext ctx, IReadOnlyList<string> databaseSubnets)
    {
        yield return Rule("mariadb-from-database-subnets", 100, "Inbound", "Allow", "3306",
            databaseSubnets, "MariaDB from the stack's database hosts (replication, promotion)");
        if (ctx.Topology.Network.ApplicationCidrs.Count > 0)
        {
            yield return Rule("mariadb-from-applications", 110, "Inbound", "Allow", "3306",
                [.. ctx.Topology.Network.ApplicationCidrs.Select(c => c.ToString())], "MariaDB from the declared application networks");
        }

        yield return Rule("deny-other-mariadb", 4000, "Inbound", "Deny", "3306", ["*"], "MariaDB from nowhere else (the default rules allow the whole VNet)");
        yield return Rule("deny-ssh-from-internet", 4010, "Inbound", "Deny", "22", ["Internet"], "No SSH from the internet (operators use the serial console or Azure Bastion)");
        yield return Rule("https-out", 100, "Outbound", "Allow", "443", ["*"], "HTTPS: packages, Key Vault, Blob Storage, Azure Monitor", destination: "Internet");
        yield return Rule("http-out", 110, "Outbound", "Allow", "80", ["*"], "HTTP: Debian package mirrors (packages are signature-checked)", destination: "Internet");
        yield return Rule("mariadb-out", 120, "Outbound", "Allow", "3306", ["*"], "MariaDB replication to the stack's database hosts", destinations: databaseSubnets);
        yield return Rule("deny-other-internet-out", 4000, "Outbound", "Deny", "*", ["*"], "Nothing else to the internet", destination: "Internet");
    }

    /// <summary>
    /// method: galera: group communication, IST and SST between the nodes' subnets only. An explicit deny follows the
    /// allow, because Azure's default rules let the whole VNet (the DR subnet, peered VNets) in on every port.
    /// </summary>
    private static IEnumerable<PValue> GaleraRules(List<string> galeraSubnets, string? arbitrator)
    {
        if (galeraSubnets.Count == 0)
        {
            yield break;
        }

        var ports = GaleraCluster.Ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        yield return Rule("galera-from-nodes", 120, "Inbound", "Allow", "", galeraSubnets,
            "Galera group communication (4567), IST (4568) and SST (4444) from the cluster's nodes", ports: ports);
        yield return Rule("deny-other-galera", 4020, "Inbound", "Deny", "", ["*"], "Galera ports from nowhere else (the default rules allow the whole VNet)", ports: ports);
        yield return Rule("galera-out", 130, "Outbound", "Allow", "", ["*"], "Galera to the cluster's nodes", destinations: galeraSubnets, ports: ports);
        if (arbitrator is not null)
        {
            // garbd takes part in group communication only.
            var gcomm = GaleraCluster.GcommPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return Rule("galera-from-arbitrator", 125, "Inbound", "Allow", gcomm, [arbitrator], "Galera group communication (4567) from the declared arbitrator (garbd)");
            yield return Rule("galera-to-arbitrator", 135, "Outbound", "Allow", gcomm, ["*"], "Galera group communication (4567) to the declared arbitrator (garbd)", destination: arbitrator);
        }
    }

    private static PMap Rule(string name, int priority, string direction, string access, string port, IReadOnlyList<string> sources, string description,
        string? destination = null, IReadOnlyList<string>? destinations = null, IReadOnlyList<string>? ports = null) => P.Map(
        ("name", name),
        ("priority", priority),
        ("direction", direction),
        ("access", access),
        ("protocol", port == "*" ? "*" : "Tcp"),
        ("sourcePortRange", "*"),
        ("destinationPortRange", ports is null ? new PText(port) : null),
        ("destinationPortRanges", ports is not null ? P.Texts(ports) : null),
        ("sourceAddressPrefix", sources.Count == 1 ? new PText(sources[0]) : null),
        ("sourceAddressPrefixes", sources.Count > 1 ? P.Texts(sources) : null),
        ("destinationAddressPrefix", destinations is null ? new PText(destination ?? "*") : null),
        ("destinationAddressPrefixes", destinations is not null ? P.Texts(destinations) : null),
        ("description", description));
}
