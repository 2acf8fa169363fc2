using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// The primary role on a server that already replicates from no one: semi-sync source as the stack wants, then
/// writable. Every server starts read-only (role-neutral my.cnf); this is the one place that makes one writable.
/// </summary>
public static class PrimaryRole
{
    /// <summary>Returns true when it changed anything.</summary>
    public static async Task<bool> EnsureAsync(
        ISqlClient client, ServerSnapshot snapshot, bool semiSync, ReplicationDialect dialect, IStepLog log, CancellationToken ct)
    {
        var done = new List<string>();
        if (snapshot.SemiSync.SourceEnabled != semiSync)
        {
            await client.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = {(semiSync ? "ON" : "OFF")}", ct);
            done.Add($"semi-sync source {(semiSync ? "on" : "off")}");
        }

        if (snapshot.ReadOnly)
        {
            await client.ExecuteAsync("SET GLOBAL read_only = OFF", ct);
            done.Add("writable (read_only OFF)");
        }

        if (done.Count > 0)
        {
            log.Step("primary", $"{snapshot.Name}: {string.Join(", ", done)}");
        }

        return done.Count > 0;
    }

    /// <summary>
    /// The last step before a new primary takes writes: the term row as its first write of the term (binlogged, so it
    /// replicates), then writable, then the term store (the claim released; an automatic failover noted for anti-flap).
    /// </summary>
    public static async Task<TermRecord> TakeTermAsync(
        ISqlClient candidate, TermRecord next, ITermStore store, bool automatic, CancellationToken ct)
    {
        var record = next with { ForkGtid = await candidate.ScalarAsync("SELECT @@gtid_binlog_state", ct) ?? "", At = DateTimeOffset.UtcNow };
        await TermTable.WriteAsync(candidate, record, ct);
        await candidate.ExecuteAsync("SET GLOBAL read_only = OFF", ct);
        await store.UpdateAsync(s => s with { Current = record, Pending = null, LastAutomaticFailover = automatic ? record.At : s.LastAutomaticFailover }, CancellationToken.None);
        return record;
    }
}
