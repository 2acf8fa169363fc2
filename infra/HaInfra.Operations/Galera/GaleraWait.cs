using System.Diagnostics;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Galera;

/// <summary>Waits until a node is Synced in the primary component and sees at least the expected number of nodes.</summary>
public static class GaleraWait
{
    public static async Task<GaleraNodeStatus> SyncedAsync(ISqlConnector connector, SqlEndpoint node, int clusterSize, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        GaleraNodeStatus? last = null;
        string? error = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                await using var client = await connector.ConnectAsync(node, ct);
                last = await GaleraNodeStatus.ReadAsync(client, ct);
                if (last is { IsSynced: true } synced && synced.ClusterSize >= clusterSize)
                {
                    return synced;
                }
            }
            catch (SqlOperationException e)
            {
                error = e.Message;
            }

            await Task.Delay(100, ct);
        }

        throw new OperationFailedException(
            $"{node.Name} is not a Synced member of a {clusterSize}-node cluster after {timeout.TotalSeconds:0} s (last seen: {last?.Text ?? error ?? "no wsrep status"}).",
            $"read {node.Name}'s error log (WSREP lines) for why it did not join; local status shows every node's state.");
    }
}
