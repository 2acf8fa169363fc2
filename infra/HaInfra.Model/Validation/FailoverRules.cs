using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules on hainfra:failover: sane timings, hosts that exist, and a candidate for automatic failover.</summary>
internal static class FailoverRules
{
    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        var failover = dto.Failover;
        if (failover is null)
        {
            return;
        }

        const string prefix = ConfigKeys.Failover;
        ctx.InRange(failover.CheckIntervalMs, $"{prefix}.checkIntervalMs", 100, 60_000, "milliseconds");
        ctx.InRange(failover.FailureCount, $"{prefix}.failureCount", 2, 100, "probes (one failed probe is never enough)");
        ctx.InRange(failover.DeadlineSeconds, $"{prefix}.deadlineSeconds", 5, 3600, "seconds");
        ctx.InRange(failover.AntiFlapMinutes, $"{prefix}.antiFlapMinutes", 0, 7 * 24 * 60, "minutes");
        ctx.InRange(failover.MaxLagSeconds, $"{prefix}.maxLagSeconds", 0, 3600, "seconds");

        var hosts = (dto.Sites ?? []).SelectMany(s => (s.Hosts ?? []).Select(h => (Site: s, Host: h))).ToList();
        var names = hosts.Select(h => h.Host.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, i) in (failover.NeverPromote ?? []).Select((n, i) => (n, i)))
        {
            if (!names.Contains(name))
            {
                var closest = names.MinBy(n => EditDistance.Between(n, name));
                ctx.Add($"{prefix}.neverPromote[{i}]", name, "is not a host of this stack.",
                    closest is null ? "list host names from hainfra:sites." : $"did you mean '{closest}'? (hosts: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
            }
        }

        if (failover.Auto != true)
        {
            return;
        }

        var primary = dto.Sites?.FirstOrDefault(s => Spellings.SiteKind.TryParse(s.Kind, out var k) && k == SiteKind.Primary);
        var never = (failover.NeverPromote ?? []).ToHashSet(StringComparer.Ordinal);
        var initial = primary?.Hosts is { Count: > 0 } primaryHosts ? primaryHosts[0] : null;
        var candidates = hosts.Where(h => h.Site.Region == primary?.Region && h.Site.Kind != "remote" && h.Host != initial
            && h.Host.Name is { } n && !never.Contains(n)).ToList();
        if (primary is not null && candidates.Count == 0)
        {
            ctx.Add($"{prefix}.auto", "true", "automatic failover has no host to promote: the primary region holds no other host that may be promoted (remote sites are never promoted automatically).",
                "add a host to the primary site or a same-city site, take it off neverPromote, or set auto: false.");
        }
    }
}
