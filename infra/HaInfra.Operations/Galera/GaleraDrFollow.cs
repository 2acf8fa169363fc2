using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Galera;

/// <summary>
/// Points every host outside the Galera cluster (the DR site) whose source node is gone at a Synced node instead. Every
/// node gives a write set the same GTID (wsrep_gtid_mode), so the replica resumes by GTID where it stopped, from any
/// node: nothing to look up, nothing skipped. The preferred node (the writer) is taken when it is Synced.
/// </summary>
public static class GaleraDrFollow
{
    public static async Task<IReadOnlyList<string>> RunAsync(
        Topology topology, string preferred, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin,
        IReadOnlyDictionary<string, ServerAddress> addresses, ReplicationAccount account, string? caFile, IStepLog log, CancellationToken ct)
    {
        var synced = await SyncedNodesAsync(topology, preferred, connector, admin, ct);
        if (synced.Count == 0)
        {
            throw new OperationFailedException("no Galera node is Synced in a primary component; the DR site has nothing to follow.", "run local up to start the cluster again.");
        }

        var live = synced.Select(n => addresses[n.Name]).ToHashSet();
        var moved = new List<string>();
        foreach (var host in topology.Hosts.Where(h => !GaleraCluster.IsNode(topology, h)))
        {
            await using var client = await connector.ConnectAsync(admin[host.Name], ct);
            var snapshot = await ServerProbe.ReadAsync(client, ct);
            if (FollowsLiveNode(snapshot, live))
            {
                continue;
            }

            // A node that joined by SST starts a fresh binlog: only a node whose binlog still reaches the replica's position can serve it.
            var source = synced.FirstOrDefault(n => Serves(n.Snapshot, snapshot));
            if (source.Name is null)
            {
                throw new OperationFailedException(
                    $"no Synced node's binlog reaches {host.Name}'s position '{snapshot.DataPosition}' (oldest binlog starts: {string.Join(", ", synced.Select(n => $"{n.Name} '{n.Snapshot.OldestBinlogStart}'"))}).",
                    $"reseed {host.Name} from a node (local reseed {host.Name}).");
            }

            var address = addresses[source.Name];
            var dialect = ServerDialects.For(snapshot.Flavor, snapshot.Version);
            var how = await ServerRoles.FollowAsync(
                client, new ReplicationSource(address.Host, address.Port, account.User, account.Password, caFile),
                source.Snapshot.BinlogState, semiSyncReplica: false, dialect, ct);
            log.Step("galera", $"{host.Name} now replicates from node {source.Name} ({how}); its previous source {(snapshot.Channel is { } c ? $"{c.SourceHost}:{c.SourcePort}" : "(none)")} is not a Synced node serving it");
            moved.Add(host.Name);
        }

        return moved;
    }

    /// <summary>
    /// The hosts outside the cluster (the DR site) that do not replicate from a Synced node right now: their channel's
    /// source is down or out of the primary component, or their replication threads are not running. What the monitor
    /// checks every round before it moves anyone (<see cref="GaleraDrWatch"/>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> StrandedAsync(
        Topology topology, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin,
        IReadOnlyDictionary<string, ServerAddress> addresses, CancellationToken ct)
    {
        var live = (await SyncedNodesAsync(topology, preferred: null, connector, admin, ct)).Select(n => addresses[n.Name]).ToHashSet();
        var stranded = new List<string>();
        foreach (var host in topology.Hosts.Where(h => !GaleraCluster.IsNode(topology, h)))
        {
            await using var client = await connector.ConnectAsync(admin[host.Name], ct);
            if (!FollowsLiveNode(await ServerProbe.ReadAsync(client, ct), live))
            {
                stranded.Add(host.Name);
            }
        }

        return stranded;
    }

    private static bool FollowsLiveNode(ServerSnapshot replica, HashSet<ServerAddress> live) =>
        replica.Channel is { } channel && channel.Running && live.Contains(new ServerAddress(channel.SourceHost, channel.SourcePort));

    /// <summary>The Synced nodes with what they hold, <paramref name="preferred"/> first; a node that does not answer is not one.</summary>
    private static async Task<List<(string Name, ServerSnapshot Snapshot)>> SyncedNodesAsync(
        Topology topology, string? preferred, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin, CancellationToken ct)
    {
        var synced = new List<(string Name, ServerSnapshot Snapshot)>();
        foreach (var node in GaleraCluster.Nodes(topology).OrderBy(n => n.Name != preferred))
        {
            try
            {
                await using var client = await connector.ConnectAsync(admin[node.Name], ct);
                if (await GaleraNodeStatus.ReadAsync(client, ct) is { IsSynced: true })
                {
                    synced.Add((node.Name, await ServerProbe.ReadAsync(client, ct)));
                }
            }
            catch (SqlOperationException e) when (e.IsConnectionFailure)
            {
                // Down: not a source.
            }
        }

        return synced;
    }

    /// <summary>Whether <paramref name="node"/>'s binlog still holds everything after <paramref name="replica"/>'s position.</summary>
    public static bool Serves(ServerSnapshot node, ServerSnapshot replica) => replica.DataPosition.Contains(node.OldestBinlogStart);
}
