using System.Globalization;
using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules on hosts: DNS-safe unique names, known sizes, sane disks, unique server ids, zones of their site.</summary>
internal static class HostRules
{
    public const int MinDataDiskGb = 10;
    public const int MaxDataDiskGb = 16384;
    public const int MaxHosts = 64;

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        var sites = dto.Sites ?? [];
        var hosts = sites.SelectMany(s => (s.Hosts ?? []).Select(h => (Site: s, Host: h))).ToList();
        if (hosts.Count > MaxHosts)
        {
            ctx.Add(ConfigKeys.Sites, hosts.Count.ToString(CultureInfo.InvariantCulture), $"the stack has more than {MaxHosts} hosts.",
                "split it into several stacks; one replication topology this large is not supported.");
        }

        CheckNames(hosts.Select(h => h.Host), ctx);
        foreach (var (site, host) in hosts)
        {
            if (host.Size is null)
            {
                ctx.Missing($"{host.Path}.size", "the size class", $"set size to one of: {SizeClass.Choices}.");
            }
            else if (SizeClass.Find(host.Size) is null)
            {
                ctx.Add($"{host.Path}.size", host.Size, "is not a size class.", $"use one of: {SizeClass.Choices}.");
            }

            if (host.DataDiskGb is null)
            {
                ctx.Missing($"{host.Path}.dataDiskGb", "the data disk size", $"set dataDiskGb ({MinDataDiskGb}-{MaxDataDiskGb}).");
            }

            ctx.InRange(host.DataDiskGb, $"{host.Path}.dataDiskGb", MinDataDiskGb, MaxDataDiskGb, "GiB");
            ctx.InRange(host.ServerId, $"{host.Path}.serverId", 1, ServerIds.Max, "(server_id)");
            if (host.Zone is not null && site.Zones is { } zones && !zones.Contains(host.Zone, StringComparer.Ordinal))
            {
                ctx.Add($"{host.Path}.zone", host.Zone, $"is not one of the site's zones ({string.Join(", ", zones)}).",
                    "use one of the site's zones, or add this zone to the site.");
            }
        }

        CheckServerIds(hosts.Select(h => h.Host), ctx);
    }

    private static void CheckNames(IEnumerable<HostDto> hosts, ValidationContext ctx)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            var path = $"{host.Path}.name";
            if (host.Name is null)
            {
                ctx.Missing(path, "the host name", "give the host a DNS-style name such as db-a1.");
            }
            else if (!DnsLabel.IsValid(host.Name))
            {
                ctx.Add(path, host.Name, "is not a valid DNS label (it becomes a DNS record and a server name).",
                    "use 1-63 lower-case letters, digits and '-', not starting or ending with '-'.");
            }
            else if (!seen.TryAdd(host.Name, host.Path))
            {
                ctx.Add(path, host.Name, $"is already the name of {seen[host.Name]}.", "give every host in the stack its own name.");
            }
        }
    }

    private static void CheckServerIds(IEnumerable<HostDto> hosts, ValidationContext ctx)
    {
        var seen = new Dictionary<long, HostDto>();
        // A repeated host name is reported by the name rule; its derived id would only repeat that finding.
        var firstOfEachName = hosts.Where(h => h.Name is not null && DnsLabel.IsValid(h.Name)).DistinctBy(h => h.Name);
        foreach (var host in firstOfEachName)
        {
            var id = host.ServerId ?? ServerIds.Derive(host.Name!);
            if (seen.TryGetValue(id, out var other))
            {
                ctx.Add($"{host.Path}.serverId", id.ToString(CultureInfo.InvariantCulture),
                    $"the server_id is the same as host '{other.Name}' ({other.Path}); replication needs unique ids.",
                    "set serverId on one of the two hosts to an unused number.");
            }
            else
            {
                seen[id] = host;
            }
        }
    }
}
