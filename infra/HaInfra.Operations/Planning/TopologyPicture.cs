using System.Text;
using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>
/// The topology before → after as one picture: every site and host of either side, marked added (+), removed (-),
/// changed (~) or the same, with each site's replication link to the primary. ASCII for terminals, Mermaid for
/// Markdown (GitHub draws it in the pull request).
/// </summary>
public static class TopologyPicture
{
    public static IReadOnlyList<(char Mark, string Text)> Ascii(Plan plan)
    {
        var lines = new List<(char, string)>();
        var before = plan.Before is null ? null : Viewed(plan.Before, plan.Primary.Host);
        var after = Viewed(plan.After, plan.Primary.Host);
        foreach (var site in SiteOrder(before, after))
        {
            var was = before?.Sites.FirstOrDefault(s => s.Name == site);
            var now = after.Sites.FirstOrDefault(s => s.Name == site);
            var mark = was is null ? '+' : now is null ? '-' : SiteLine(before!, was) != SiteLine(after, now) ? '~' : ' ';
            lines.Add((mark, mark == '~' ? $"{SiteLine(before!, was!)}  →  {SiteLine(after, now!).Replace($"site {site} ", "", StringComparison.Ordinal)}"
                : now is not null ? SiteLine(after, now) : SiteLine(before!, was!)));
            foreach (var host in HostOrder(was, now))
            {
                var old = was?.Hosts.FirstOrDefault(h => h.Name == host);
                var cur = now?.Hosts.FirstOrDefault(h => h.Name == host);
                var hostMark = old is null ? '+' : cur is null ? '-' : HostLine(old) != HostLine(cur) ? '~' : ' ';
                lines.Add((hostMark, "    " + (hostMark == '~' ? Changed(old!, cur!) : HostLine(cur ?? old!))));
            }
        }

        return lines;
    }

    /// <summary>One Mermaid flowchart of a side: a subgraph per site, an edge from the primary to each replica labelled with its mode.</summary>
    public static string Mermaid(Topology topology, string primary, Plan plan, bool isBefore)
    {
        var view = Viewed(topology, primary);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var site in view.Sites)
        {
            text.Append($"  subgraph s{Id(site.Name)}[\"{site.Name} · {Spellings.SiteKind.Of(site.Kind)} · {site.Region}\"]\n");
            foreach (var host in site.Hosts)
            {
                text.Append($"    {Id(host.Name)}[\"{host.Name}<br/>{(host.Role == HostRole.Primary ? "primary" : "replica")} · {host.Size.Name} · {host.DataDiskGb} GB\"]\n");
            }

            text.Append("  end\n");
        }

        var writer = view.Hosts.FirstOrDefault(h => h.Role == HostRole.Primary);
        foreach (var replica in view.Replicas)
        {
            text.Append($"  {Id(writer!.Name)} -->|{Spellings.ReplicationMode.Of(view.SiteOf(replica).Mode)}| {Id(replica.Name)}\n");
        }

        var marks = view.Hosts.Select(h => (h.Name, Class: HostClass(plan, h.Name, isBefore))).Where(m => m.Class is not null).ToList();
        foreach (var group in marks.GroupBy(m => m.Class!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append($"  class {string.Join(",", group.Select(m => Id(m.Name)))} {group.Key}\n");
        }

        if (marks.Count > 0)
        {
            text.Append("  classDef added fill:#dafbe1,stroke:#1a7f37\n  classDef removed fill:#ffebe9,stroke:#cf222e\n  classDef changed fill:#fff8c5,stroke:#9a6700\n");
        }

        return text.ToString();
    }

    private static string? HostClass(Plan plan, string host, bool isBefore) =>
        isBefore ? (plan.Hosts.Removed.Any(h => h.Name == host) ? "removed" : plan.Hosts.Changed.Any(c => c.Host == host) ? "changed" : null)
            : plan.Hosts.Added.Any(h => h.Name == host) ? "added" : plan.Hosts.Changed.Any(c => c.Host == host) ? "changed" : null;

    /// <summary>The side with the plan's primary in the primary role (the live one, when given and present).</summary>
    private static Topology Viewed(Topology topology, string primary) =>
        topology.Hosts.Any(h => h.Name == primary) ? topology.WithPrimary(primary) : topology;

    private static string SiteLine(Topology topology, Site site)
    {
        var link = site.Kind == SiteKind.Primary && site.Hosts.Any(h => h.Role == HostRole.Primary)
            ? "writes here"
            : $"{Spellings.ReplicationMode.Of(site.Mode)} from {topology.Hosts.FirstOrDefault(h => h.Role == HostRole.Primary)?.Name}";
        return $"site {site.Name} ({Spellings.SiteKind.Of(site.Kind)}, {site.Region}: {string.Join(" ", site.Zones)}) {link}";
    }

    private static readonly int[] Widths = [14, 8, 7, 8, 0];

    private static string[] HostColumns(Host host) =>
        [host.Name, host.Role == HostRole.Primary ? "primary" : "replica", host.Size.Name, $"{host.DataDiskGb} GB", host.Zone];

    private static string HostLine(Host host) => Columns(HostColumns(host));

    /// <summary>A changed host line: the same columns, each differing one as "old → new".</summary>
    private static string Changed(Host old, Host now) =>
        Columns([.. HostColumns(old).Zip(HostColumns(now), (a, b) => a == b ? a : $"{a} → {b}")]);

    private static string Columns(string[] values) =>
        string.Join(" ", values.Select((v, i) => Widths[i] == 0 ? v : v.PadRight(Widths[i]))).TrimEnd();

    private static List<string> SiteOrder(Topology? before, Topology after)
    {
        var names = after.Sites.Select(s => s.Name).ToList();
        foreach (var old in before?.Sites ?? [])
        {
            if (!names.Contains(old.Name))
            {
                names.Add(old.Name);
            }
        }

        return names;
    }

    private static List<string> HostOrder(Site? before, Site? after)
    {
        var names = (after?.Hosts ?? []).Select(h => h.Name).ToList();
        names.AddRange((before?.Hosts ?? []).Select(h => h.Name).Where(n => !names.Contains(n)));
        return names;
    }

    private static string Id(string name) => "n_" + name.Replace('-', '_').Replace('.', '_');
}
