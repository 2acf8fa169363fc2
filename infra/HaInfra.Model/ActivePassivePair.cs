namespace HaInfra.Model;

/// <summary>
/// The two writers of a <c>method: active-passive</c> stack: the configured primary site's two hosts (validation
/// demands exactly two). Each replicates from the other (circular GTID replication) and one at a time is writable:
/// the live primary is the active, its partner the passive. Each writer logs in a GTID domain of its own and takes
/// interleaved auto-increment values, so a write that lands on the passive by mistake reaches the active without
/// colliding and without looping.
/// </summary>
public static class ActivePassivePair
{
    /// <summary>The auto_increment_increment of both writers: one slot each.</summary>
    public const int Writers = 2;

    public static bool Applies(Topology topology) => topology.Replication.Method == ReplicationMethod.ActivePassivePair;

    /// <summary>The pair's host names in config order (the initial active first); empty for any other method.</summary>
    public static IReadOnlyList<string> Members(Topology topology)
    {
        if (!Applies(topology))
        {
            return [];
        }

        // The configured primary site, also in a view after a DR promotion (which rehomes site kinds).
        var configured = topology.Sites.Select(s => s.AsConfigured ?? s).First(s => s.Kind == SiteKind.Primary);
        return [.. configured.Hosts.Select(h => h.Name)];
    }

    /// <summary>1 for the pair's first host, 2 for the second; null for every host outside the pair.</summary>
    public static int? Slot(Topology topology, string host)
    {
        var index = Members(topology).ToList().IndexOf(host);
        return index < 0 ? null : index + 1;
    }

    /// <summary>The other writer of the pair when <paramref name="host"/> is one of them; otherwise null.</summary>
    public static Host? PartnerOf(Topology topology, string host)
    {
        var members = Members(topology);
        return members.Contains(host) ? topology.Host(members.Single(m => m != host)) : null;
    }

    /// <summary>The GTID domain a writer of the pair logs in (its slot); every other host keeps the server default, 0.</summary>
    public static uint DomainId(int slot) => (uint)slot;
}
