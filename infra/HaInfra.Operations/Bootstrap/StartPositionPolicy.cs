using HaInfra.Model.Gtids;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Decides, from snapshots alone, whether and where a replica may start replicating. Pure, so every branch is
/// unit-tested. It protects the two ways GTID replication silently corrupts data: a replica holding its own
/// (errant) transactions, and a replica with data but an empty gtid_slave_pos, which replays the whole binlog.
/// </summary>
public static class StartPositionPolicy
{
    public static ReplicaAction Decide(ServerSnapshot replica, ServerSnapshot source, ReplicationSource wanted)
    {
        var errant = replica.BinlogState.NotIn(source.BinlogState);
        if (!errant.IsEmpty)
        {
            return new ReplicaAction.Refuse(
                $"{replica.Name} holds transactions that {source.Name} never had (errant GTIDs {errant}); replicating would fork the data.",
                $"if {replica.Name} is a former primary, local rejoin {replica.Name} rewinds them (saved for you); otherwise rebuild it from {source.Name} (reseed), " +
                $"or, if those transactions are known to be harmless, commit empty transactions with the same GTIDs on {source.Name} so both agree.");
        }

        var start = replica.DataPosition;
        if (start.IsEmpty && replica.UserTables > 0)
        {
            return new ReplicaAction.Refuse(
                $"{replica.Name} holds {replica.UserTables} tables but no GTID position: an empty gtid_slave_pos would replay {source.Name}'s whole binlog on top of that data.",
                $"reseed {replica.Name}, or set gtid_slave_pos on it to the position its data matches.");
        }

        if (!source.BinlogPos.Contains(start))
        {
            return new ReplicaAction.Refuse(
                $"{replica.Name} is ahead of {source.Name} ({replica.Name} at '{start}', {source.Name} at '{source.BinlogPos}').",
                $"make the most advanced server the primary, or rebuild {replica.Name} from {source.Name}.");
        }

        if (!start.Contains(source.OldestBinlogStart))
        {
            var what = start.IsEmpty ? "an empty server" : $"position '{start}'";
            return new ReplicaAction.Refuse(
                $"{source.Name}'s oldest binlog starts at '{source.OldestBinlogStart}': the transactions {replica.Name} needs from {what} were purged.",
                $"seed {replica.Name} from a backup or another replica (initial sync), then run the bootstrap again.");
        }

        if (replica.Channel is { } channel && channel.PointsAt(wanted.Host, wanted.Port, wanted.User) && channel.UsingGtid == "Slave_Pos")
        {
            // After a crash, a DDL can be in the replica's binlog (so applied) while gtid_slave_pos, updated in a
            // separate step for DDL, is not: resuming from gtid_slave_pos would re-apply it (error 1950). The
            // binlog is the 2PC coordinator, so what it holds is committed; resume from there.
            if (!channel.SqlRunning && !replica.SlavePos.Equals(start))
            {
                return new ReplicaAction.Configure(start, SetSlavePos: true, HadChannel: true,
                    $"gtid_slave_pos '{replica.SlavePos}' is behind what its binlog shows applied ('{replica.BinlogPos}'), as a crash during DDL (or, in an active-passive ring, before its own returning transactions were recorded) leaves it; resuming at '{start}'");
            }

            if (channel.LastSqlErrno != 0)
            {
                return new ReplicaAction.Refuse(
                    $"{replica.Name}'s replication stopped on error {channel.LastSqlErrno}: {channel.LastSqlError}",
                    $"find the cause in {replica.Name}'s error log; if the replica drifted from {source.Name}, rebuild it (reseed).");
            }

            if (channel.SqlRunning && channel.IoRunning is "Yes" or "Connecting" or "Preparing")
            {
                return new ReplicaAction.Keep($"already replicating from {source.Name} at '{replica.SlavePos}'");
            }

            return new ReplicaAction.Start($"configured for {source.Name} but stopped (IO {channel.IoRunning}, SQL {(channel.SqlRunning ? "Yes" : "No")})");
        }

        var why = replica.Channel is null
            ? $"not a replica yet; will start at '{start}'"
            : $"was replicating from {replica.Channel.SourceHost}:{replica.Channel.SourcePort}; will follow {source.Name} from '{start}'";
        return new ReplicaAction.Configure(start, !replica.SlavePos.Equals(start), replica.Channel is not null, why);
    }
}
