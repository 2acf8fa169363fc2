using HaInfra.Model;
using HaInfra.Model.Failover;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Replication;

namespace HaInfra.Operations.Failover;

/// <summary>The host to promote and why; or, when none may be, every host's reason.</summary>
public sealed record CandidateDecision(Host? Chosen, string Why, IReadOnlyList<string> Rejected);

/// <summary>
/// Chooses the host to promote. Pure: the same views give the same answer, and every rule is unit-tested.
/// A host may be promoted only if it is in the primary region (a DR site is promoted by an operator, never here),
/// not listed in neverPromote, reachable, was replicating from the primary, and holds no transaction the primary's
/// history lacks (errant GTIDs). Among those, the one that received the most wins; ties go to the primary site,
/// then to the config order.
/// </summary>
public static class CandidateChoice
{
    /// <summary>A planned switchover: the primary is alive, so errant GTIDs and lag are measured against it.</summary>
    public static CandidateDecision ForSwitchover(
        Topology live, IReadOnlyDictionary<string, HostView> views, FailoverPolicy policy, string? to)
    {
        var primary = views[live.Primary.Name].Snapshot!;
        // After a DR promotion, a host of the configured primary site named by the operator may be chosen: the
        // planned switchover back home once that site is rebuilt.
        return Choose(live, views, policy, to, host => host.Name == to && live.SiteOf(host).AsConfigured?.Kind == SiteKind.Primary, host =>
        {
            var s = views[host.Name].Snapshot!;
            if (s.Channel is not { Running: true } channel)
            {
                return $"its replication is not running (IO {s.Channel?.IoRunning ?? "-"}, SQL {(s.Channel?.SqlRunning == true ? "Yes" : "No")})";
            }

            if (channel.SecondsBehind is not { } lag || lag > policy.MaxLagSeconds)
            {
                return $"it is {(channel.SecondsBehind is { } l ? $"{l} s" : "an unknown time")} behind (at most {policy.MaxLagSeconds} s for a switchover)";
            }

            var errant = s.BinlogState.NotIn(primary.BinlogState);
            return errant.IsEmpty ? null : $"it holds transactions {live.Primary.Name} never had (errant GTIDs {errant})";
        });
    }

    /// <summary>
    /// A failover: the primary is gone, so errant transactions are those from a server that never held a term and
    /// that no other server has either; "received the most" is the newest of what a host applied or holds in its relay log.
    /// </summary>
    public static CandidateDecision ForFailover(
        Topology live, IReadOnlyDictionary<string, HostView> views, FailoverPolicy policy, string? to, IReadOnlySet<uint> termHolders)
    {
        return Choose(live, views, policy, to, _ => false, host =>
        {
            var s = views[host.Name].Snapshot!;
            if (NotReplicating(s) is { } why)
            {
                return why;
            }

            var errant = Errant(s, views.Values.Where(v => v.Name != host.Name && v.Snapshot is not null).Select(v => v.Snapshot!), termHolders);
            return errant.IsEmpty ? null : $"it holds transactions no primary wrote (errant GTIDs {errant})";
        });
    }

    /// <summary>
    /// A region-loss promotion of <paramref name="site"/>, decided by an operator: only that site's hosts, whatever
    /// their region; the one that received the most among those that were replicating without error.
    /// </summary>
    public static CandidateDecision ForDrPromotion(Topology live, IReadOnlyDictionary<string, HostView> views, FailoverPolicy policy, string site) =>
        Choose(live, views, policy, to: null, _ => true, host => NotReplicating(views[host.Name].Snapshot!), host => host.Site == site);

    /// <summary>Why a host's data cannot be trusted to be the primary's: it was not replicating, or stopped on an error.</summary>
    private static string? NotReplicating(ServerSnapshot s) => s.Channel switch
    {
        null => "it was not replicating (no replica channel)",
        { LastSqlErrno: not 0 } channel => $"its replication stopped on error {channel.LastSqlErrno}; its data may have drifted",
        _ => null,
    };

    /// <summary>Everything a host has or will have once its relay log is applied, per domain.</summary>
    public static GtidPosition Received(ServerSnapshot s) =>
        GtidPosition.Of([.. s.DataPosition.Gtids, .. s.Channel?.IoPos.Gtids ?? []]).PerDomain();

    public static GtidPosition Errant(ServerSnapshot host, IEnumerable<ServerSnapshot> others, IReadOnlySet<uint> termHolders)
    {
        var rest = others.ToList();
        return GtidPosition.Of([.. host.BinlogState.Gtids.Where(g =>
            !termHolders.Contains(g.ServerId) && !rest.Any(o => GtidPosition.Of(g).NotIn(o.BinlogState).IsEmpty))]);
    }

    /// <param name="mayLeaveRegion">Hosts that may be chosen outside the primary region.</param>
    /// <param name="scope">The hosts considered at all (default: every replica).</param>
    private static CandidateDecision Choose(
        Topology live, IReadOnlyDictionary<string, HostView> views, FailoverPolicy policy, string? to, Func<Host, bool> mayLeaveRegion,
        Func<Host, string?> disqualify, Func<Host, bool>? scope = null)
    {
        var rejected = new List<string>();
        var eligible = new List<Host>();
        foreach (var host in live.Hosts.Where(h => h.Role == HostRole.Replica && (scope?.Invoke(h) ?? true)))
        {
            var why = Ineligible(live, views[host.Name], policy, host, mayLeaveRegion(host)) ?? disqualify(host);
            if (why is null)
            {
                eligible.Add(host);
            }
            else
            {
                rejected.Add($"{host.Name}: {why}");
            }
        }

        if (to is not null)
        {
            var named = live.Hosts.FirstOrDefault(h => h.Name == to);
            if (named is null || named.Role == HostRole.Primary)
            {
                return new CandidateDecision(null, "", [named is null ? $"{to}: not a host of stack '{live.Stack}'" : $"{to}: it is the primary already"]);
            }

            return eligible.Contains(named)
                ? new CandidateDecision(named, "named by the operator", rejected)
                : new CandidateDecision(null, "", [.. rejected.Where(r => r.StartsWith(to + ":", StringComparison.Ordinal))]);
        }

        if (eligible.Count == 0)
        {
            return new CandidateDecision(null, "", rejected);
        }

        // In an active-passive pair the passive takes over whenever it may: it needs no repoint between the writers, and
        // a failover's catch-up step first pulls anything another host received beyond it.
        var passive = ActivePassivePair.PartnerOf(live, live.Primary.Name)?.Name;
        var best = eligible
            .OrderByDescending(h => h.Name == passive)
            .ThenByDescending(h => eligible.Count(o => Received(views[h.Name].Snapshot!).Contains(Received(views[o.Name].Snapshot!))))
            .ThenBy(h => live.SiteOf(h).Kind)
            .ThenBy(h => live.Hosts.ToList().IndexOf(h))
            .First();
        var received = Received(views[best.Name].Snapshot!);
        var reason = eligible.Count == 1
            ? $"the only host that may be promoted (received '{received}')"
            : best.Name == passive
                ? $"the passive of the active-passive pair (received '{received}'; eligible: {string.Join(", ", eligible.Select(e => e.Name))})"
            : $"received the most ('{received}') of {string.Join(", ", eligible.Select(e => e.Name))}";
        return new CandidateDecision(best, reason, rejected);
    }

    private static string? Ineligible(Topology live, HostView view, FailoverPolicy policy, Host host, bool mayLeaveRegion)
    {
        if (!live.InPrimaryRegion(host) && !mayLeaveRegion)
        {
            return "a remote (DR) site is never promoted here; promote it with the DR procedure";
        }

        if (!policy.MayPromote(host))
        {
            return "listed in hainfra:failover.neverPromote";
        }

        return view.Reachable ? null : $"not reachable ({view.Error})";
    }
}
