namespace HaInfra.Model.Galera;

/// <summary>
/// The Galera cluster of a method: galera stack: every host of a site whose replication is galera (as configured: a
/// DR promotion's view changes site modes, not membership), in config order. The first node starts a new cluster.
/// </summary>
public static class GaleraCluster
{
    /// <summary>
    /// wsrep_gtid_domain_id: every node gives a write set the same GTID in this domain, so a DR replica can follow any
    /// node by GTID. Distinct from domain 0, which the DR site (and anything else outside the cluster) writes in.
    /// </summary>
    public const uint DomainId = 1;

    /// <summary>The standard Galera ports: group communication, incremental state transfer, full state transfer (SST).</summary>
    public const int GcommPort = 4567;
    public const int IstPort = 4568;
    public const int SstPort = 4444;

    public static readonly IReadOnlyList<int> Ports = [GcommPort, IstPort, SstPort];

    public static bool Applies(Topology topology) => topology.Replication.Method == ReplicationMethod.Galera;

    public static IReadOnlyList<Host> Nodes(Topology topology) =>
        Applies(topology)
            ? [.. topology.Sites.Where(s => (s.AsConfigured ?? s).Mode == ReplicationMode.Galera).SelectMany(s => s.Hosts)]
            : [];

    public static bool IsNode(Topology topology, Host host) => Nodes(topology).Any(n => n.Name == host.Name);

    /// <summary>wsrep_cluster_name: nodes of another stack's cluster refuse to join this one.</summary>
    public static string Name(Topology topology) => $"hainfra-{topology.Stack}";

    /// <summary>
    /// gtid_domain_id of one node: its own domain for anything written with wsrep off, so such a write never takes a
    /// sequence number in the cluster's domain (MariaDB's advice: distinct per node, and from wsrep_gtid_domain_id).
    /// </summary>
    public static uint OwnDomainId(Topology topology, Host host)
    {
        var index = Nodes(topology).Select((n, i) => (n, i)).Single(x => x.n.Name == host.Name).i;
        return DomainId + 1 + (uint)index;
    }
}
