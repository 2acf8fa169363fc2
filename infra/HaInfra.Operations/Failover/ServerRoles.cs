using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>The SQL of role changes on one server: fence writes, wait for apply, promote, follow a new source.</summary>
public static class ServerRoles
{
    /// <summary>Accounts whose sessions a fence leaves alone: replication streams and the server's own threads.</summary>
    private const string KeptSessions =
        "USER NOT IN ('system user', 'event_scheduler') AND COMMAND NOT IN ('Binlog Dump', 'Daemon', 'Slave_IO', 'Slave_SQL', 'Slave_worker') AND ID <> CONNECTION_ID()";

    /// <summary>
    /// Stops writes: read_only ON (waiting at most <paramref name="lockWait"/> for running writes), then every client
    /// session is killed and waited for until it is gone, so nothing holding SUPER or an open transaction can write on
    /// and the binlog position read afterwards is final. Returns the sessions killed.
    /// </summary>
    public static async Task<int> FenceWritesAsync(ISqlClient client, TimeSpan lockWait, CancellationToken ct)
    {
        var killed = await KillClientSessionsAsync(client, ct);
        var seconds = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds));
        await client.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", ct);
        try
        {
            await client.ExecuteAsync("SET GLOBAL read_only = ON", ct);
        }
        catch (SqlOperationException e) when (e.Error == SqlError.LockWaitTimeout)
        {
            // A session took a lock between the kill and read_only: kill again, then the flag goes through.
            killed += await KillClientSessionsAsync(client, ct);
            await client.ExecuteAsync("SET GLOBAL read_only = ON", ct);
        }

        killed += await KillClientSessionsAsync(client, ct);

        // A killed session that was inside its commit still finishes that commit (measured: one landed in the binlog
        // after read_only and the kill, so the position read next missed it and the new primary forked). The fence is
        // complete only once every client session is gone; newcomers are killed as they appear.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await CountClientSessionsAsync(client, ct) > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMilliseconds(50))
            {
                killed += await KillClientSessionsAsync(client, ct);
                clock.Restart();
            }

            await Task.Delay(2, ct);
        }

        return killed;
    }

    private static async Task<long> CountClientSessionsAsync(ISqlClient client, CancellationToken ct) =>
        long.Parse(await client.ScalarAsync($"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE {KeptSessions}", ct) ?? "0", CultureInfo.InvariantCulture);

    public static async Task<int> KillClientSessionsAsync(ISqlClient client, CancellationToken ct)
    {
        var sessions = await client.QueryAsync($"SELECT ID FROM information_schema.PROCESSLIST WHERE {KeptSessions}", ct);
        var killed = 0;
        foreach (var id in sessions.Select(r => r.Number("ID")!.Value))
        {
            try
            {
                await client.ExecuteAsync($"KILL CONNECTION {id.ToString(CultureInfo.InvariantCulture)}", ct);
                killed++;
            }
            catch (SqlOperationException e) when (e.Number == 1094)
            {
                // Unknown thread id: it ended by itself.
            }
        }

        return killed;
    }

    /// <summary>
    /// The replica role's flags: read-only, semi-sync source off (a replica with it on stalls its applier for the whole
    /// semi-sync timeout, measured on 10.11), semi-sync replica side as its site says. Returns what it changed.
    /// </summary>
    public static async Task<List<string>> EnsureReplicaFlagsAsync(
        ISqlClient client, ServerSnapshot snapshot, bool semiSyncReplica, ReplicationDialect dialect, CancellationToken ct)
    {
        var done = new List<string>();
        if (!snapshot.ReadOnly)
        {
            await client.ExecuteAsync("SET GLOBAL read_only = ON", ct);
            done.Add("read_only ON");
        }

        if (snapshot.SemiSync.SourceEnabled)
        {
            await client.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = OFF", ct);
            done.Add("semi-sync source off");
        }

        if (snapshot.SemiSync.ReplicaEnabled != semiSyncReplica)
        {
            await client.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncReplicaVariable} = {(semiSyncReplica ? "ON" : "OFF")}", ct);
            done.Add($"semi-sync {(semiSyncReplica ? "on" : "off")}");
        }

        return done;
    }

    /// <summary>MASTER_GTID_WAIT: true when the server applied <paramref name="position"/> within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitAppliedAsync(ISqlClient client, GtidPosition position, TimeSpan timeout, CancellationToken ct)
    {
        if (position.IsEmpty)
        {
            return true;
        }

        var seconds = Math.Max(0.001, timeout.TotalSeconds);
        var result = await client.ScalarAsync(SqlStatement.With("SELECT MASTER_GTID_WAIT(@pos, @timeout)", ("pos", position.ToString()), ("timeout", seconds)), ct);
        return result == "0";
    }

    /// <summary>
    /// Semi-sync source on for a new primary when a semi-sync replica will follow it. With none reachable it stays off:
    /// the first commit would only wait out the whole timeout before going async (2 s on the local stack, measured);
    /// the bootstrap turns it on once such a replica is back.
    /// </summary>
    /// <param name="followers">The hosts this role change repoints to the new primary: only they can acknowledge soon.</param>
    public static async Task<string> EnableSemiSyncSourceAsync(
        ISqlClient primary, HaInfra.Model.Topology next, IReadOnlyCollection<string> followers, ReplicationDialect dialect, CancellationToken ct)
    {
        if (!next.PrimaryWaitsForSemiSync)
        {
            return "semi-sync source off (no site asks for it)";
        }

        var peers = next.Replicas.Where(r => next.SiteOf(r).Mode == HaInfra.Model.ReplicationMode.SemiSync && followers.Contains(r.Name)).Select(r => r.Name).ToList();
        if (peers.Count == 0)
        {
            await primary.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = OFF", ct);
            return "semi-sync source left off: no semi-sync replica is reachable (turned on when one rejoins)";
        }

        await primary.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = ON", ct);
        return $"semi-sync source on ({string.Join(", ", peers)} will acknowledge)";
    }

    /// <summary>Stops replicating and forgets the source: the server is nobody's replica (still read-only).</summary>
    public static async Task DetachFromSourceAsync(ISqlClient client, ReplicationDialect dialect, bool hadChannel, CancellationToken ct)
    {
        if (hadChannel)
        {
            await client.ExecuteAsync(dialect.StopReplica, ct);
            await client.ExecuteAsync(dialect.ResetReplicaAll, ct);
        }
    }

    /// <summary>
    /// Makes the server a replica of <paramref name="source"/> from where its data stands (what it applied or logged,
    /// whichever is newer per domain: for a former primary that is its own binlog). Read-only, semi-sync source off.
    /// The position is read after its replication stopped: a snapshot taken earlier is stale on a replica that was
    /// still applying (measured: a lagging DR replica repointed from a stale position re-applied events and stopped on
    /// error 1950).
    /// </summary>
    /// <summary>
    /// A candidate whose primary is gone applies its whole relay log (what it received, per its snapshot) before it
    /// is promoted; returns the step's detail, or fails when the time runs out.
    /// </summary>
    public static async Task<string> ApplyReceivedAsync(ISqlClient candidate, ServerSnapshot snapshot, TimeSpan timeout, CancellationToken ct)
    {
        var received = snapshot.Channel?.IoPos ?? GtidPosition.Empty;
        return await WaitAppliedAsync(candidate, received, timeout, ct)
            ? $"{snapshot.Name} applied all it received ('{received}')"
            : throw new OperationFailedException($"{snapshot.Name} did not apply its relay log ('{received}') within the deadline.", "check its SQL thread (local status).");
    }

    /// <param name="sourceState">The source's gtid_binlog_state: transactions of the replica's own server_id in it that
    /// the replica lacks are applied first (<see cref="OwnServerIdCatchUp"/>).</param>
    public static async Task<string> FollowAsync(
        ISqlClient client, ReplicationSource source, GtidPosition sourceState, bool semiSyncReplica, ReplicationDialect dialect, CancellationToken ct)
    {
        var done = new List<string>();
        if (await client.QuerySingleAsync(dialect.ShowReplicaStatus, ct) is not null)
        {
            await client.ExecuteAsync(dialect.StopReplica, ct);
        }

        var snapshot = await ServerProbe.ReadAsync(client, ct);
        done.AddRange(await EnsureReplicaFlagsAsync(client, snapshot, semiSyncReplica, dialect, ct));
        var start = snapshot.DataPosition;
        if (!snapshot.SlavePos.Equals(start))
        {
            await client.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", start.ToString())), ct);
        }

        await client.ExecuteAsync(dialect.ChangeSource(source), ct);
        var own = await OwnServerIdCatchUp.StartAsync(client, sourceState, start, dialect, TimeSpan.FromSeconds(60), ct);
        done.Add($"follows {source.Host}:{source.Port} from '{start}'{(own is null ? "" : $"; {own}")}");
        return string.Join(", ", done);
    }
}
