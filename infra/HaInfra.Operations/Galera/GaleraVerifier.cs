using HaInfra.Model.Gtids;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Galera;

/// <summary>
/// After the bootstrap: every node has the canary the writer just wrote, and every node's binlog holds the same GTIDs.
/// wsrep_sync_wait makes each read wait until the node has applied everything committed in the cluster before it.
/// The equal GTID state is what lets the DR replica follow any node by GTID.
/// </summary>
public static class GaleraVerifier
{
    public static async Task VerifyAsync(IReadOnlyDictionary<string, ISqlClient> nodes, string writer, IStepLog log, CancellationToken ct)
    {
        // The writer's position first: every node, once caught up, is at or past it (writes may go on meanwhile).
        var writerPosition = GtidPosition.Parse(await nodes[writer].ScalarAsync("SELECT @@gtid_binlog_pos", ct));
        var tokens = new Dictionary<string, string?>(StringComparer.Ordinal);
        var behind = new List<string>();
        foreach (var (name, client) in nodes)
        {
            await client.ExecuteAsync("SET SESSION wsrep_sync_wait = 1", ct);
            tokens[name] = await client.ScalarAsync("SELECT token FROM hainfra.canary WHERE id = 1", ct);
            var position = GtidPosition.Parse(await client.ScalarAsync("SELECT @@gtid_binlog_pos", ct));
            await client.ExecuteAsync("SET SESSION wsrep_sync_wait = 0", ct);
            if (!position.Contains(writerPosition))
            {
                behind.Add($"{name} '{position}'");
            }
        }

        var differ = tokens.Where(t => t.Value != tokens[writer]).Select(t => t.Key).ToList();
        if (differ.Count > 0)
        {
            throw new OperationFailedException(
                $"Galera nodes {string.Join(", ", differ)} do not read the canary {writer} wrote, although wsrep_sync_wait made them wait for it.",
                "read their error logs (WSREP lines); a node that keeps diverging must be rebuilt: stop it, move its datadir aside, and run local up (it rejoins by SST).");
        }

        if (behind.Count > 0)
        {
            log.Warn($"Galera nodes whose binlog lacks GTIDs {writer} has ('{writerPosition}'): {string.Join(", ", behind)}; the DR replica can follow only nodes that hold its position.");
        }

        log.Step("galera", $"canary read on every node ({string.Join(", ", nodes.Keys)}); every binlog at or past {writer}'s '{writerPosition}'{(behind.Count == 0 ? "" : " except the ones warned about")}");
    }
}
