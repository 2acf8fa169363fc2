using HaInfra.Operations.Replication;

namespace HaInfra.Operations.Galera;

/// <summary>What status reports as wrong with a Galera node: it gets its writes from the cluster, not from a channel.</summary>
public static class GaleraHealth
{
    /// <param name="nodes">The cluster's data nodes.</param>
    /// <param name="arbitrator">The stack declares a garbd arbitrator, which counts as a member without data.</param>
    public static List<string> Judge(GaleraNodeStatus? galera, ServerSnapshot snapshot, int nodes, bool arbitrator = false)
    {
        if (galera is null)
        {
            return ["wsrep is off: the node is not part of the Galera cluster (check its my.cnf and error log)"];
        }

        var problems = new List<string>();
        if (galera.ClusterStatus != "Primary")
        {
            problems.Add($"in a {galera.ClusterStatus} component: it refuses reads and writes until it sees a majority again");
        }
        else if (galera.State != GaleraNodeStatus.Synced)
        {
            problems.Add($"Galera state {galera.State}, not Synced");
        }

        var members = nodes + (arbitrator ? 1 : 0);
        if (galera.ClusterSize < members)
        {
            problems.Add($"sees {galera.ClusterSize} of {members} members ({nodes} nodes{(arbitrator ? " and the arbitrator" : "")}): run local up to start the missing ones");
        }

        if (snapshot.ReadOnly)
        {
            problems.Add("read_only ON: the writer endpoint's failover to this node would find it refusing writes");
        }

        if (snapshot.Channel is { } channel)
        {
            problems.Add($"replicates from {channel.SourceHost}:{channel.SourcePort}: a Galera node gets its writes from the cluster");
        }

        return problems;
    }
}
