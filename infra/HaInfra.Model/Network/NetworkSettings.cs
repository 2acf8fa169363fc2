namespace HaInfra.Model.Network;

/// <summary>
/// The stack's cloud network: who may reach the databases (application CIDRs), each region's VPC address space, and
/// the private DNS zone holding the primary/replica names. The local target ignores it.
/// </summary>
/// <param name="AdminSshPublicKey">The VM administrator's SSH public key (azure: VMs have password login off and need
/// one; no SSH port is open from the internet, it serves the serial console and Azure Bastion). Null on aws (SSM).</param>
public sealed record NetworkSettings(IReadOnlyList<Cidr> ApplicationCidrs, IReadOnlyList<RegionNetwork> Regions, string DnsZone, string? AdminSshPublicKey = null)
{
    public const string DefaultDnsZone = "db.internal";

    /// <summary>Smallest VPC accepted: a /24 still splits into /28 subnets for three zones and the NAT subnet.</summary>
    public const int MaxVpcPrefix = 24;

    /// <summary>AWS allows no VPC CIDR larger than /16.</summary>
    public const int MinVpcPrefix = 16;

    /// <summary>The VPC of a region that has no vpcCidrs entry: the index-th /16 from 10.64.0.0 (primary region first).</summary>
    public static Cidr DefaultVpcCidr(int index) => Cidr.Parse("10.64.0.0/10").Subnet(16, index);

    /// <summary>The order regions get default VPCs in: the primary's first, then as the sites list them.</summary>
    public static IReadOnlyList<string> RegionOrder(string primaryRegion, IEnumerable<string> siteRegions) =>
        [.. siteRegions.Prepend(primaryRegion).Distinct(StringComparer.Ordinal)];

    public RegionNetwork For(string region) =>
        Regions.SingleOrDefault(r => r.Region == region) ?? throw new ArgumentException($"no network for region '{region}'", nameof(region));
}

/// <summary>One region's VPC.</summary>
public sealed record RegionNetwork(string Region, Cidr VpcCidr)
{
    /// <summary>Subnets are a sixteenth of the VPC: zone "…a" takes block 0, "…b" block 1, and so on, so a subnet
    /// never moves when zones are added; the last block holds the NAT gateway.</summary>
    public int SubnetPrefix => VpcCidr.PrefixLength + 4;

    public Cidr ZoneSubnet(string zone) => VpcCidr.Subnet(SubnetPrefix, (zone[^1] - 'a') % 15);

    /// <summary>An azure site's subnet: block <paramref name="index"/> (the site's position among its region's sites).</summary>
    public Cidr SiteSubnet(int index) => VpcCidr.Subnet(SubnetPrefix, index % 15);

    public Cidr PublicSubnet => VpcCidr.Subnet(SubnetPrefix, 15);
}
