using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Load;

/// <summary>One server's verdict on a writer's acknowledged ids.</summary>
/// <param name="Missing">Acknowledged ids the server does not hold: lost writes.</param>
/// <param name="Extra">Ids the server holds that were never acknowledged (commits whose answer was lost): not a loss.</param>
/// <param name="Checksum">CHECKSUM TABLE of the whole drill table once the server applied the primary's position:
/// every server must show the same (a replica that diverged in rows no report names differs here).</param>
public sealed record ServerWriteCheck(string Server, long Rows, IReadOnlyList<long> Missing, long Duplicates, long Extra, string? Checksum);

/// <summary>
/// Checks an acknowledged-writes report against real servers: after every server has applied the primary's position,
/// each acknowledged id must be on each of them exactly once, and the drill table's checksum must be the same on all.
/// </summary>
public static class WriteCheck
{
    /// <param name="synchronous">Galera nodes: their reads wait for the cluster's commits (wsrep_sync_wait) instead of a GTID.</param>
    public static async Task<IReadOnlyList<ServerWriteCheck>> RunAsync(
        WriteReport report, IReadOnlyDictionary<string, ISqlClient> servers, string primary, TimeSpan catchUp, CancellationToken ct, IReadOnlySet<string>? synchronous = null)
    {
        var position = GtidPosition.Parse(await servers[primary].ScalarAsync("SELECT @@gtid_binlog_pos", ct));
        var acked = report.Acked.ToHashSet();
        var results = new List<ServerWriteCheck>();
        foreach (var (name, client) in servers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (synchronous?.Contains(name) == true)
            {
                await client.ExecuteAsync("SET SESSION wsrep_sync_wait = 1", ct);
            }
            else if (name != primary && !await ServerRoles.WaitAppliedAsync(client, position, catchUp, ct))
            {
                throw new OperationFailedException($"{name} did not apply the primary's '{position}' within {catchUp.TotalSeconds:0} s.", "check local status, then run the check again.");
            }

            var rows = await client.QueryAsync(SqlStatement.With($"SELECT id, COUNT(*) AS n FROM {AckedWriter.Table} WHERE writer = @w GROUP BY id", ("w", report.Writer)), ct);
            var held = rows.ToDictionary(r => r.Number("id")!.Value, r => r.Number("n")!.Value);
            results.Add(new ServerWriteCheck(
                name,
                held.Count,
                [.. acked.Where(id => !held.ContainsKey(id)).Order()],
                held.Values.Count(n => n > 1),
                held.Keys.Count(id => !acked.Contains(id)),
                (await client.QuerySingleAsync($"CHECKSUM TABLE {AckedWriter.Table}", ct))?.Text("Checksum")));
        }

        return results;
    }
}
