using HaInfra.Model.Gtids;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// Starts a replica so that it also applies transactions carrying its own server_id. MariaDB's IO thread drops every
/// event whose server_id is the replica's own (the guard against circular replication), yet a host rebuilt or
/// reseeded from a copy older than its own last term as primary must apply exactly those: found by the DR drill,
/// where the old primary, rebuilt from a backup taken before the region loss, skipped its own last 383 transactions
/// and diverged without an error. When the source's history holds such transactions past the replica's start, the
/// replica first runs under a temporary server_id until it has them, then takes its own back.
/// </summary>
public static class OwnServerIdCatchUp
{
    /// <summary>Not derived from a host name (those are at most 999,999) nor the binlog archive's (4,000,000,000 + id).</summary>
    public static uint TemporaryServerId(uint own) => 3_000_000_000u + own;

    /// <summary>The newest transaction per domain with <paramref name="serverId"/> in the source's history that lies past <paramref name="start"/>.</summary>
    public static GtidPosition Pending(GtidPosition sourceState, uint serverId, GtidPosition start)
    {
        var at = start.PerDomain().Gtids.ToDictionary(g => g.Domain, g => g.Sequence);
        return GtidPosition.Of([.. sourceState.Gtids.Where(g => g.ServerId == serverId && g.Sequence > at.GetValueOrDefault(g.Domain))]);
    }

    /// <summary>START SLAVE, first under a temporary server_id while transactions of its own are pending; returns what it did, or null.</summary>
    public static async Task<string?> StartAsync(ISqlClient client, GtidPosition sourceState, GtidPosition start, ReplicationDialect dialect, TimeSpan timeout, CancellationToken ct)
    {
        var own = uint.Parse(await client.ScalarAsync("SELECT @@GLOBAL.server_id", ct) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var pending = Pending(sourceState, own, start);
        if (pending.IsEmpty)
        {
            await client.ExecuteAsync(dialect.StartReplica, ct);
            return null;
        }

        var temporary = TemporaryServerId(own);
        await client.ExecuteAsync($"SET GLOBAL server_id = {temporary}", ct);
        try
        {
            await client.ExecuteAsync(dialect.StartReplica, ct);
            if (!await ServerRoles.WaitAppliedAsync(client, pending, timeout, ct))
            {
                throw new OperationFailedException(
                    $"{client.Server} did not apply its own earlier transactions (up to '{pending}') within {timeout.TotalSeconds:0} s.",
                    "check its replication (local status), then run the operation again.");
            }
        }
        finally
        {
            await client.ExecuteAsync(dialect.StopReplica, CancellationToken.None);
            await client.ExecuteAsync($"SET GLOBAL server_id = {own}", CancellationToken.None);
        }

        await client.ExecuteAsync(dialect.StartReplica, ct);
        return $"applied its own earlier transactions (up to '{pending}') under server_id {temporary}, then took {own} back";
    }
}
