using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules on sites: exactly one primary, regions and zones that match their kind, sensible replication modes.</summary>
internal static class SiteRules
{
    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        if (dto.Sites is not { Count: > 0 } sites)
        {
            ctx.Missing(ConfigKeys.Sites, "the list of sites", "add at least a site with kind: primary and one host (see stacks/Pulumi.local.yaml).");
            return;
        }

        var cloud = Spellings.Cloud.TryParse(dto.Cloud, out var c) ? c : (CloudKind?)null;
        var kinds = sites.Select(s => ctx.Parse(s.Kind, $"{s.Path}.kind", Spellings.SiteKind, "site kind")).ToList();
        CheckPrimaryCount(sites, kinds, ctx);
        CheckNames(sites, ctx);

        var primaryIndex = kinds.IndexOf(SiteKind.Primary);
        var primaryRegion = primaryIndex >= 0 ? sites[primaryIndex].Region : null;
        for (var i = 0; i < sites.Count; i++)
        {
            CheckPlacement(sites[i], kinds[i], primaryRegion, cloud, ctx);
            CheckMode(sites[i], kinds[i], ctx);
            if (sites[i].Hosts is not { Count: > 0 })
            {
                ctx.Missing($"{sites[i].Path}.hosts", "the site's list of hosts", "add at least one host (name, size, dataDiskGb), or remove the site.");
            }
        }

        CheckSeparateZones(sites, ctx);
    }

    /// <summary>
    /// Sites of one region must not share a zone: a same-city site exists to survive the loss of the primary's zone,
    /// and one that shares it fails with it.
    /// </summary>
    private static void CheckSeparateZones(IReadOnlyList<SiteDto> sites, ValidationContext ctx)
    {
        var owner = new Dictionary<(string Region, string Zone), string>();
        foreach (var site in sites.Where(s => s.Region is not null && s.Name is not null))
        {
            for (var i = 0; i < (site.Zones?.Count ?? 0); i++)
            {
                var zone = site.Zones![i];
                if (owner.TryGetValue((site.Region!, zone), out var other) && other != site.Name)
                {
                    ctx.Add($"{site.Path}.zones[{i}]", zone, $"is also a zone of site '{other}' in the same region: a zone outage would take both sites.",
                        "give each site of a region its own zones (a same-city site exists to survive the loss of the primary's zone).");
                }
                else
                {
                    owner.TryAdd((site.Region!, zone), site.Name!);
                }
            }
        }
    }

    private static void CheckPrimaryCount(IReadOnlyList<SiteDto> sites, List<SiteKind?> kinds, ValidationContext ctx)
    {
        var primaries = sites.Where((_, i) => kinds[i] == SiteKind.Primary).ToList();
        if (primaries.Count == 0 && kinds.All(k => k is not null))
        {
            ctx.Add(ConfigKeys.Sites, null, "no site has kind: primary.", "mark the site that holds the writable primary with kind: primary.");
        }

        foreach (var extra in primaries.Skip(1))
        {
            ctx.Add($"{extra.Path}.kind", "primary", $"a second primary site (the first is '{primaries[0].Name}').",
                "keep one primary site; make this one same-city (same region) or remote (another region).");
        }
    }

    private static void CheckNames(IReadOnlyList<SiteDto> sites, ValidationContext ctx)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            var path = $"{site.Path}.name";
            if (site.Name is null)
            {
                ctx.Missing(path, "the site name", "give the site a short DNS-style name such as eu-a.");
            }
            else if (!DnsLabel.IsValid(site.Name))
            {
                ctx.Add(path, site.Name, "is not a valid DNS label.", "use 1-63 lower-case letters, digits and '-', not starting or ending with '-'.");
            }
            else if (!seen.TryAdd(site.Name, site.Path))
            {
                ctx.Add(path, site.Name, $"is already the name of {seen[site.Name]}.", "give every site its own name.");
            }
        }
    }

    private static void CheckPlacement(SiteDto site, SiteKind? kind, string? primaryRegion, CloudKind? cloud, ValidationContext ctx)
    {
        var regionTypo = site.Region is null ? null : RegionNames.LikelyMeant(cloud, site.Region);
        if (site.Region is null)
        {
            ctx.Missing($"{site.Path}.region", "the cloud region", "set region (e.g. eu-west-1 on aws, westeurope on azure).");
        }
        else if (regionTypo is not null)
        {
            ctx.Add($"{site.Path}.region", site.Region, $"is not a known {Spellings.Cloud.Of(cloud!.Value)} region.", $"did you mean {regionTypo}?");
        }
        else if (kind == SiteKind.Remote && site.Region == primaryRegion)
        {
            ctx.Add($"{site.Path}.region", site.Region, "a remote (disaster-recovery) site is in the primary site's region.",
                "put it in another region, or change its kind to same-city.");
        }
        else if (kind == SiteKind.SameCity && primaryRegion is not null && site.Region != primaryRegion)
        {
            ctx.Add($"{site.Path}.region", site.Region, $"a same-city site must be in the primary's region ({primaryRegion}).",
                $"set region: {primaryRegion}, or change its kind to remote.");
        }

        if (site.Zones is not { Count: > 0 })
        {
            ctx.Missing($"{site.Path}.zones", "the list of zones", "list the availability zones the site's hosts may use.");
            return;
        }

        for (var i = 0; i < site.Zones.Count; i++)
        {
            var zone = site.Zones[i];
            if (regionTypo is null && !ZoneNames.BelongsTo(cloud, site.Region, zone))
            {
                ctx.Add($"{site.Path}.zones[{i}]", zone, $"is not a zone of region {site.Region}.", ZoneNames.Fix(cloud, site.Region));
            }
        }

        foreach (var duplicate in site.Zones.GroupBy(z => z, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            ctx.Add($"{site.Path}.zones", duplicate.Key, "lists the same zone twice.", "list each zone once.");
        }
    }

    private static void CheckMode(SiteDto site, SiteKind? kind, ValidationContext ctx)
    {
        var path = $"{site.Path}.replication";
        var mode = ctx.Parse(site.Replication, path, Spellings.ReplicationMode, "replication mode", DefaultMode(kind));
        if (kind == SiteKind.Remote && mode == ReplicationMode.SemiSync && site.AllowSemiSyncOverWan != true)
        {
            ctx.Add(path, site.Replication, "semi-sync to a remote region puts a WAN round trip on every commit.",
                "use replication: async for the remote site, or set allowSemiSyncOverWan: true if you accept the latency.");
        }

        if (site.AllowSemiSyncOverWan is not null && kind is not null && kind != SiteKind.Remote)
        {
            ctx.Add($"{site.Path}.allowSemiSyncOverWan", site.AllowSemiSyncOverWan.Value ? "true" : "false",
                "only applies to remote sites.", "remove it from this site.");
        }
    }

    public static ReplicationMode DefaultMode(SiteKind? kind) =>
        kind == SiteKind.Remote ? ReplicationMode.Async : ReplicationMode.SemiSync;
}
