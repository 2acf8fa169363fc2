using System.Globalization;
using System.Net;
using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>
/// Rules of method: galera. The cluster is every host of a site whose replication is galera (the default of the primary
/// and same-city sites); it needs a majority to take writes, so its vote count must be odd and at least three, and no
/// zone may hold half the votes. Semi-sync settings do not apply, and a remote site joins only when explicitly allowed.
/// </summary>
internal static class GaleraRules
{
    public static ReplicationMode DefaultMode(ReplicationMethod method, SiteKind? kind) =>
        method == ReplicationMethod.Galera && kind is SiteKind.Primary or SiteKind.SameCity ? ReplicationMode.Galera : SiteRules.DefaultMode(kind);

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        var prefix = ConfigKeys.Replication;
        var galera = Spellings.Method.TryParse(dto.Replication?.Method, out var method) && method == ReplicationMethod.Galera;
        var sites = dto.Sites ?? [];
        if (!galera)
        {
            CheckNotGalera(dto, sites, ctx);
            return;
        }

        // Semi-sync settings given with galera are a misunderstanding worth saying: nothing would read them.
        if (dto.Replication?.WaitPoint is { } waitPoint)
        {
            ctx.Add($"{prefix}.semiSyncWaitPoint", waitPoint, "does not apply to method: galera (Galera certifies every commit on all nodes; there is no semi-sync).", "remove it.");
        }

        if (dto.Replication?.SemiSyncTimeoutMs is { } timeout)
        {
            ctx.Add($"{prefix}.semiSyncTimeoutMs", timeout.ToString(CultureInfo.InvariantCulture), "does not apply to method: galera (there is no semi-sync to time out).", "remove it.");
        }

        if (dto.Failover?.Auto == true)
        {
            ctx.Add($"{ConfigKeys.Failover}.auto", "true",
                "automatic primary failover does not apply to method: galera: every node is writable, and the writer endpoint moves to another node by itself when its node dies.",
                "remove it (or set auto: false).");
        }

        var nodes = new List<(SiteDto Site, HostDto Host, string? Zone)>();
        foreach (var site in sites)
        {
            var kind = Spellings.SiteKind.TryParse(site.Kind, out var k) ? k : (SiteKind?)null;
            var mode = Spellings.ReplicationMode.TryParse(site.Replication, out var m) ? m : DefaultMode(ReplicationMethod.Galera, kind);
            CheckSite(site, kind, mode, ctx);
            if (mode == ReplicationMode.Galera)
            {
                nodes.AddRange((site.Hosts ?? []).Select((h, i) => (site, h, h.Zone ?? (site.Zones is { Count: > 0 } z ? z[i % z.Count] : null))));
            }
        }

        var arbitrator = dto.Replication?.Arbitrator;
        CheckArbitrator(arbitrator, nodes.Select(n => n.Host.Name).OfType<string>().ToHashSet(StringComparer.Ordinal), ctx);
        CheckCount(nodes.Count, arbitrator is not null, ctx);
        CheckZones(nodes, arbitrator is not null, ctx);
    }

    private static void CheckNotGalera(TopologyDto dto, IReadOnlyList<SiteDto> sites, ValidationContext ctx)
    {
        const string fix = "set hainfra:replication.method: galera, or remove it.";
        if (dto.Replication?.Arbitrator is { } arbitrator)
        {
            ctx.Add($"{ConfigKeys.Replication}.arbitrator", arbitrator, "a Galera arbitrator applies only to method: galera.", fix);
        }

        foreach (var site in sites)
        {
            if (Spellings.ReplicationMode.TryParse(site.Replication, out var mode) && mode == ReplicationMode.Galera)
            {
                ctx.Add($"{site.Path}.replication", site.Replication, "makes the site's hosts Galera nodes, which applies only to method: galera.",
                    "use semi-sync or async, or set hainfra:replication.method: galera.");
            }

            if (site.AllowGaleraOverWan is { } allow)
            {
                ctx.Add($"{site.Path}.allowGaleraOverWan", allow ? "true" : "false", "applies only to method: galera.", fix);
            }
        }
    }

    private static void CheckSite(SiteDto site, SiteKind? kind, ReplicationMode mode, ValidationContext ctx)
    {
        var path = $"{site.Path}.replication";
        if (mode == ReplicationMode.SemiSync && site.Replication is not null && !ctx.Reported(path))
        {
            ctx.Add(path, site.Replication, "semi-sync does not apply to method: galera.",
                kind == SiteKind.Remote ? "use async: the remote site is an asynchronous replica of one Galera node." : "use galera (the site's hosts join the cluster) or async (they replicate from a node).");
        }

        if (kind == SiteKind.Primary && mode == ReplicationMode.Async && site.Replication is not null)
        {
            ctx.Add(path, site.Replication, "the primary site's hosts are the Galera cluster's first nodes (its first host starts the cluster).",
                "use replication: galera (the default for the primary site), or method: primary-replica.");
        }

        if (site.AllowSemiSyncOverWan is not null && !ctx.Reported($"{site.Path}.allowSemiSyncOverWan"))
        {
            ctx.Add($"{site.Path}.allowSemiSyncOverWan", site.AllowSemiSyncOverWan.Value ? "true" : "false", "semi-sync does not apply to method: galera.", "remove it.");
        }

        if (site.AllowGaleraOverWan is { } allow && kind is not null && kind != SiteKind.Remote)
        {
            ctx.Add($"{site.Path}.allowGaleraOverWan", allow ? "true" : "false", "only applies to remote sites.", "remove it from this site.");
        }

        if (kind == SiteKind.Remote && mode == ReplicationMode.Galera && site.AllowGaleraOverWan != true)
        {
            ctx.Add(path, site.Replication,
                "a Galera node in a remote region puts a WAN round trip on every commit of every node (a commit is certified by all nodes before it returns), and a WAN outage stalls or splits the cluster.",
                "use replication: async (the remote site replicates from one Galera node and can follow another), or set allowGaleraOverWan: true if you accept that latency.");
        }
    }

    /// <summary>The arbitrator (garbd) votes but holds no data: it must be a separate machine, named by host name or address.</summary>
    private static void CheckArbitrator(string? arbitrator, HashSet<string> nodes, ValidationContext ctx)
    {
        var path = $"{ConfigKeys.Replication}.arbitrator";
        if (arbitrator is null)
        {
            return;
        }

        var name = arbitrator.Split('.')[0];
        if (!IPAddress.TryParse(arbitrator, out _) && !arbitrator.Split('.').All(DnsLabel.IsValid))
        {
            ctx.Add(path, arbitrator, "is not a host name or an IP address.", "name the machine that runs garbd, e.g. arbiter-1.db.internal or 10.0.9.4.");
        }
        else if (nodes.Contains(name))
        {
            ctx.Add(path, arbitrator, "is a node of the cluster: an arbitrator on a node adds a vote that fails with it.",
                "run garbd on a machine outside the cluster (another zone, or the DR region), or drop the arbitrator and add a node.");
        }
    }

    private static void CheckCount(int nodes, bool arbitrator, ValidationContext ctx)
    {
        var value = $"{nodes} Galera node{(nodes == 1 ? "" : "s")}{(arbitrator ? " and an arbitrator" : "")}";
        var votes = nodes + (arbitrator ? 1 : 0);
        if (arbitrator && nodes < 2)
        {
            ctx.Add(ConfigKeys.Sites, value, "a Galera cluster needs at least two data nodes besides an arbitrator.",
                "give the primary and same-city sites two or more hosts in all.");
        }
        else if (!arbitrator && nodes < 3)
        {
            ctx.Add(ConfigKeys.Sites, value,
                "a Galera cluster of fewer than three nodes stops taking writes when one node is lost (the survivor has no majority).",
                "give the primary and same-city sites three hosts in all, or declare a garbd arbitrator (hainfra:replication.arbitrator).");
        }
        else if (votes % 2 == 0)
        {
            ctx.Add(arbitrator ? $"{ConfigKeys.Replication}.arbitrator" : ConfigKeys.Sites, value,
                $"{votes} votes can split into two halves with no majority (a network partition stops the whole cluster).",
                arbitrator
                    ? "remove the arbitrator (the node count is already odd), or add a node."
                    : "add or remove one node, or declare a garbd arbitrator (hainfra:replication.arbitrator) as the odd vote.");
        }
    }

    /// <summary>A zone holding half the votes or more takes the cluster's majority with it when it fails.</summary>
    private static void CheckZones(List<(SiteDto Site, HostDto Host, string? Zone)> nodes, bool arbitrator, ValidationContext ctx)
    {
        var votes = nodes.Count + (arbitrator ? 1 : 0);
        if (votes < 3)
        {
            return;
        }

        foreach (var zone in nodes.Where(n => n.Zone is not null).GroupBy(n => n.Zone!, StringComparer.Ordinal).Where(g => 2 * g.Count() >= votes))
        {
            var site = zone.First().Site;
            ctx.Add($"{site.Path}.zones", zone.Key,
                $"holds {zone.Count()} of the cluster's {votes} votes: losing this zone loses the majority, and every node stops taking writes.",
                "spread the Galera nodes so that no zone holds half of them (e.g. one per same-city site), or add nodes or an arbitrator elsewhere.");
        }
    }
}
