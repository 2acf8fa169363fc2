using HaInfra.Model.Config;
using HaInfra.Model.Network;

namespace HaInfra.Model.Validation;

/// <summary>Rules on hainfra:network: who may reach port 3306, VPC address spaces that can be peered, the DNS zone.</summary>
internal static class NetworkRules
{
    /// <summary>Anything broader than a /8 is not "the applications' networks" but a large part of the internet.</summary>
    public const int MinApplicationPrefix = 8;

    private const string Path = ConfigKeys.Network;

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        var network = dto.Network;
        CheckApplicationCidrs(network?.ApplicationCidrs ?? [], ctx);
        CheckVpcCidrs(dto, network?.VpcCidrs ?? [], ctx);
        CheckDnsZone(network?.DnsZone, ctx);
    }

    private static void CheckApplicationCidrs(IReadOnlyList<string> cidrs, ValidationContext ctx)
    {
        for (var i = 0; i < cidrs.Count; i++)
        {
            var path = $"{Path}.applicationCidrs[{i}]";
            if (!Cidr.TryParse(cidrs[i], out var cidr, out var problem))
            {
                ctx.Add(path, cidrs[i], problem, "write the network your applications run in, e.g. 10.20.0.0/16.");
            }
            else if (cidr.PrefixLength == 0)
            {
                ctx.Add(path, cidrs[i], "would open the database port 3306 to the whole internet.",
                    "list only the networks your applications run in, e.g. 10.20.0.0/16; operators reach hosts through SSM, not the internet.");
            }
            else if (cidr.PrefixLength < MinApplicationPrefix)
            {
                ctx.Add(path, cidrs[i], $"is broader than a /{MinApplicationPrefix}: it opens port 3306 to a large part of the internet.",
                    "list the application networks themselves (one entry each), e.g. 10.20.0.0/16.");
            }
        }
    }

    /// <summary>A site region that is a misspelling of <paramref name="region"/> (reported at the site; not again here).</summary>
    private static string? MisspeltSiteRegion(TopologyDto dto, string region)
    {
        var cloud = Spellings.Cloud.TryParse(dto.Cloud, out var c) ? c : (CloudKind?)null;
        return (dto.Sites ?? []).Select(s => s.Region).OfType<string>().FirstOrDefault(r => RegionNames.LikelyMeant(cloud, r) == region);
    }

    private static void CheckVpcCidrs(TopologyDto dto, IReadOnlyList<KeyValuePair<string, string>> vpcCidrs, ValidationContext ctx)
    {
        var sites = dto.Sites ?? [];
        var primaryRegion = sites.FirstOrDefault(s => Spellings.SiteKind.TryParse(s.Kind, out var k) && k == SiteKind.Primary)?.Region;
        var siteRegions = sites.Select(s => s.Region).OfType<string>().ToList();
        var parsed = new Dictionary<string, Cidr>(StringComparer.Ordinal);
        foreach (var (region, text) in vpcCidrs)
        {
            var path = $"{Path}.vpcCidrs.{region}";
            if (!siteRegions.Contains(region, StringComparer.Ordinal) && siteRegions.Count > 0 && MisspeltSiteRegion(dto, region) is null)
            {
                ctx.Add(path, text, $"'{region}' is not a region of this stack's sites.",
                    $"use one of: {string.Join(", ", siteRegions.Distinct())}; or remove the entry.");
            }
            else if (!Cidr.TryParse(text, out var cidr, out var problem))
            {
                ctx.Add(path, text, problem, "write the VPC's address space, e.g. 10.40.0.0/16.");
            }
            else if (!cidr.IsPrivate)
            {
                ctx.Add(path, text, "is not a private (RFC 1918) address space.", "use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.");
            }
            else if (cidr.PrefixLength is < NetworkSettings.MinVpcPrefix or > NetworkSettings.MaxVpcPrefix)
            {
                ctx.Add(path, text, $"a VPC must be a /{NetworkSettings.MinVpcPrefix} to a /{NetworkSettings.MaxVpcPrefix}.",
                    $"use a prefix length from {NetworkSettings.MinVpcPrefix} to {NetworkSettings.MaxVpcPrefix}, e.g. 10.40.0.0/16.");
            }
            else
            {
                parsed[region] = cidr;
            }
        }

        if (primaryRegion is not null)
        {
            CheckOverlaps(NetworkSettings.RegionOrder(primaryRegion, siteRegions), parsed, vpcCidrs.Count == parsed.Count, ctx);
        }
    }

    // Peered VPCs must not overlap; a region without an entry gets its default, which may collide with an explicit one.
    private static void CheckOverlaps(IReadOnlyList<string> regions, Dictionary<string, Cidr> explicitCidrs, bool allParsed, ValidationContext ctx)
    {
        if (!allParsed)
        {
            return;
        }

        var effective = regions.Select((r, i) => (Region: r, Cidr: explicitCidrs.TryGetValue(r, out var c) ? c : NetworkSettings.DefaultVpcCidr(i))).ToList();
        for (var i = 0; i < effective.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (effective[i].Cidr.Overlaps(effective[j].Cidr))
                {
                    var isDefault = !explicitCidrs.ContainsKey(effective[i].Region);
                    ctx.Add($"{Path}.vpcCidrs.{effective[i].Region}", effective[i].Cidr.ToString(),
                        $"{(isDefault ? "the default VPC range of this region" : "this VPC range")} overlaps {effective[j].Region}'s {effective[j].Cidr}; peered VPCs need distinct address spaces.",
                        $"give {effective[i].Region} a range that does not overlap, e.g. {NetworkSettings.DefaultVpcCidr(i + 16)}.");
                }
            }
        }
    }

    private static void CheckDnsZone(string? zone, ValidationContext ctx)
    {
        if (zone is null)
        {
            return;
        }

        var labels = zone.Split('.');
        if (zone.Length > 253 || labels.Length < 2 || !labels.All(DnsLabel.IsValid))
        {
            ctx.Add($"{Path}.dnsZone", zone, "is not a DNS zone name of two or more lower-case labels.",
                $"write a private zone such as {NetworkSettings.DefaultDnsZone} or prod.db.internal (no trailing dot).");
        }
    }
}
