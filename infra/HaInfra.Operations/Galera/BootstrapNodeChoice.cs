namespace HaInfra.Operations.Galera;

/// <summary>What is known of one stopped node's position before the cluster is started again.</summary>
/// <param name="HasData">False for a datadir that never joined a cluster (new, or freshly initialized).</param>
/// <param name="Seqno">The last committed write set: from grastate.dat after a clean stop, from --wsrep-recover after a
/// crash; null when neither could tell.</param>
public sealed record NodePosition(string Name, bool HasData, string? Uuid, long? Seqno, bool SafeToBootstrap);

/// <summary>The node to start a fully stopped cluster from, and why.</summary>
/// <param name="MarkSafe">Its grastate.dat must be marked safe_to_bootstrap first (it was not the last to leave cleanly).</param>
public sealed record BootstrapChoice(string Node, string Why, bool MarkSafe);

/// <summary>
/// Which node starts a fully stopped Galera cluster (a pure function). Starting from any node but the most advanced
/// one would make the others throw away the write sets it lacks when they rejoin, so: the node Galera itself marked
/// safe_to_bootstrap (the last to leave cleanly), else the highest seqno; never a node without data while another has
/// some, and nothing at all while a node's position is unknown or the nodes hold different clusters.
/// </summary>
public static class BootstrapNodeChoice
{
    /// <param name="nodes">In config order: ties go to the first (the initial writer).</param>
    public static BootstrapChoice Decide(IReadOnlyList<NodePosition> nodes)
    {
        var withData = nodes.Where(n => n.HasData).ToList();
        if (withData.Count == 0)
        {
            return new BootstrapChoice(nodes[0].Name, "a new cluster: no node holds data yet", MarkSafe: false);
        }

        var clusters = withData.Select(n => n.Uuid).Distinct(StringComparer.Ordinal).ToList();
        if (clusters.Count > 1)
        {
            throw new OperationFailedException(
                $"the nodes hold data of different clusters ({string.Join("; ", withData.Select(n => $"{n.Name}: {n.Uuid}"))}); starting any of them would discard the others' data.",
                "keep the datadirs of one cluster only (move the others aside; they rejoin by SST), then run local up again.");
        }

        var unknown = withData.Where(n => n.Seqno is null or < 0).ToList();
        if (unknown.Count > 0)
        {
            throw new OperationFailedException(
                $"the last committed write set of {string.Join(", ", unknown.Select(n => n.Name))} is unknown (grastate.dat says -1 and --wsrep-recover found no position), so the most advanced node cannot be told.",
                "read each node's error log for 'Recovered position', start the most advanced one with --wsrep-new-cluster by hand, then run local up.");
        }

        var safe = withData.Where(n => n.SafeToBootstrap).ToList();
        var highest = withData.Max(n => n.Seqno!.Value);
        if (safe.Count == 1 && safe[0].Seqno == highest)
        {
            return new BootstrapChoice(safe[0].Name, $"it left the cluster last (grastate.dat: safe_to_bootstrap: 1, seqno {highest})", MarkSafe: false);
        }

        var chosen = withData.First(n => n.Seqno == highest);
        var others = string.Join(", ", withData.Where(n => n != chosen).Select(n => $"{n.Name} {n.Seqno}"));
        return new BootstrapChoice(chosen.Name, $"it holds the highest seqno {highest} ({(others.Length > 0 ? others : "no other node with data")})", MarkSafe: !chosen.SafeToBootstrap);
    }
}
