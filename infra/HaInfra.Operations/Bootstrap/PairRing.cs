using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// The second half of an active-passive pair's circular replication: the active's channel from the passive. The
/// passive replicates from the active like any replica; with this channel too, a write that lands on the passive by
/// mistake reaches the active (and every replica behind it) instead of diverging. Nothing loops: each writer logs in a
/// GTID domain of its own, and a server's IO thread drops the events that carry its own server_id when they come back.
/// The active stays writable: its flags are never touched here.
/// </summary>
public static class PairRing
{
    /// <summary>How long the active waits for the passive to hold everything the active wrote before it connects.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(30);

    /// <summary>Returns true when it changed anything.</summary>
    public static async Task<bool> EnsureAsync(
        ISqlClient active, ISqlClient passive, string passiveName, ReplicationSource source, ReplicationDialect dialect, IStepLog log, CancellationToken ct)
    {
        var ours = await ServerProbe.ReadAsync(active, ct);
        if (ours.Channel is { } channel && channel.PointsAt(source.Host, source.Port, source.User) && channel.UsingGtid == "Slave_Pos"
            && channel.LastSqlErrno == 0 && channel.SqlRunning && channel.IoRunning is "Yes" or "Connecting" or "Preparing")
        {
            return false;
        }

        var done = new List<string>();
        if (ours.Channel is not null)
        {
            await active.ExecuteAsync(dialect.StopReplica, ct);
            done.Add(dialect.StopReplica);
        }

        // The active asks the passive for what follows the active's own data. The passive must hold all of it first: a
        // source asked for a GTID beyond its binlog refuses the replica (error 1236).
        var wrote = ours.BinlogPos;
        if (!await ServerRoles.WaitAppliedAsync(passive, wrote, CatchUp, ct))
        {
            throw new OperationFailedException(
                $"the passive {passiveName} did not apply the active {ours.Name}'s '{wrote}' within {CatchUp.TotalSeconds:0} s, so the ring cannot start.",
                $"check {passiveName}'s replication (local status), then run local up again.");
        }

        ours = await ServerProbe.ReadAsync(active, ct);
        var start = ours.DataPosition;
        if (!ours.SlavePos.Equals(start))
        {
            await active.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", start.ToString())), ct);
        }

        await active.ExecuteAsync(dialect.ChangeSource(source), ct);
        await active.ExecuteAsync(dialect.StartReplica, ct);
        done.Add($"{dialect.ChangeSourceTo} {source.Host}:{source.Port} from '{start}'");
        log.Step("ring", $"{ours.Name} <- {passiveName}: the active replicates from the passive too; {string.Join(", ", done)}");
        return true;
    }

    /// <summary>
    /// Restarts the active's ring channel when it exists, points at the passive and merely stopped (a restart, a STOP
    /// SLAVE), then lets it apply what the passive holds: writes that landed on the passive meanwhile reach the active
    /// instead of looking errant and being rewound. A channel with an SQL error, or none at all (a failover resets the
    /// new active's channel, so an old active's unacknowledged tail never flows in this way), is left alone. Returns what
    /// it did, or null.
    /// </summary>
    public static async Task<string?> ResumeAsync(
        ISqlClient active, ISqlClient passive, string passiveName, ReplicationSource source, CancellationToken ct)
    {
        var ours = await ServerProbe.ReadAsync(active, ct);
        var dialect = ServerDialects.For(ours.Flavor, ours.Version);
        if (ours.Channel is not { } channel || !channel.PointsAt(source.Host, source.Port, source.User) || channel.LastSqlErrno != 0
            || (channel.SqlRunning && channel.IoRunning is "Yes" or "Connecting" or "Preparing"))
        {
            return null;
        }

        await active.ExecuteAsync(dialect.StartReplica, ct);
        var theirs = GtidPosition.Parse(await passive.ScalarAsync("SELECT @@gtid_binlog_pos", ct));
        var applied = await ServerRoles.WaitAppliedAsync(active, theirs, CatchUp, ct);
        return applied
            ? $"{ours.Name} <- {passiveName}: the stopped ring channel restarted; {ours.Name} applied what {passiveName} holds ('{theirs}')"
            : $"{ours.Name} <- {passiveName}: the stopped ring channel restarted, but {ours.Name} did not apply '{theirs}' within {CatchUp.TotalSeconds:0} s";
    }

    /// <summary>
    /// The old active of a switchover inside the pair becomes the passive: it keeps its channel from the new active (the
    /// ring), gets the replica's flags, and reconnects so it registers as semi-sync where its site says so. Without a
    /// channel from the new active (the ring was down), it follows it like any replica.
    /// </summary>
    public static async Task<string> DemoteAsync(
        ISqlClient oldActive, ReplicationSource newActive, GtidPosition newActiveState, bool semiSyncReplica, ReplicationDialect dialect, CancellationToken ct)
    {
        var snapshot = await ServerProbe.ReadAsync(oldActive, ct);
        if (snapshot.Channel is not { } channel || !channel.PointsAt(newActive.Host, newActive.Port, newActive.User) || channel.LastSqlErrno != 0)
        {
            return await ServerRoles.FollowAsync(oldActive, newActive, newActiveState, semiSyncReplica, dialect, ct);
        }

        var done = await ServerRoles.EnsureReplicaFlagsAsync(oldActive, snapshot, semiSyncReplica, dialect, ct);

        // The IO thread registers as a semi-sync replica only when it connects, and the new active's source side was just turned on.
        await oldActive.ExecuteAsync($"{dialect.StopReplica} IO_THREAD", ct);
        await oldActive.ExecuteAsync($"{dialect.StartReplica} IO_THREAD", ct);
        done.Add("IO thread reconnected");
        return $"is the passive now, still replicating from the new active (the ring): {string.Join(", ", done)}";
    }
}
