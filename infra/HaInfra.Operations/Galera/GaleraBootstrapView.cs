using HaInfra.Model;

namespace HaInfra.Operations.Galera;

/// <summary>
/// The topology the shared replication bootstrap works on for a Galera stack: the writer node stands for the whole
/// cluster (the other nodes get its writes from Galera, not from a replication channel), and every host outside the
/// cluster (the DR site) is its asynchronous replica. So accounts, the term row, the DR channel and the canary are
/// set up by the same code as for primary-replica.
/// </summary>
public static class GaleraBootstrapView
{
    public static Topology Of(Topology topology, string writer) => topology with
    {
        Sites = [.. topology.Sites
            .Select(s => (s.AsConfigured ?? s).Mode == ReplicationMode.Galera ? s with { Hosts = [.. s.Hosts.Where(h => h.Name == writer)] } : s)
            .Where(s => s.Hosts.Count > 0)],
    };
}
