using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>Carries out one replica's <see cref="ReplicaAction"/>: semi-sync and read_only flags, then the channel.</summary>
internal static class ReplicaSetup
{
    /// <summary>Returns true when it changed anything.</summary>
    public static async Task<bool> ApplyAsync(
        ISqlClient client, ServerSnapshot snapshot, ReplicaAction action, ReplicationSource source, GtidPosition sourceState, bool semiSync,
        ReplicationDialect dialect, string sourceName, IStepLog log, CancellationToken ct)
    {
        var done = await ServerRoles.EnsureReplicaFlagsAsync(client, snapshot, semiSync, dialect, ct);
        var semiSyncChanged = snapshot.SemiSync.ReplicaEnabled != semiSync;

        switch (action)
        {
            case ReplicaAction.Keep when semiSyncChanged:
                // The IO thread registers as semi-sync only when it connects.
                await client.ExecuteAsync($"{dialect.StopReplica} IO_THREAD", ct);
                await client.ExecuteAsync($"{dialect.StartReplica} IO_THREAD", ct);
                done.Add("IO thread reconnected");
                break;
            case ReplicaAction.Start:
                done.Add(await OwnServerIdCatchUp.StartAsync(client, sourceState, snapshot.SlavePos, dialect, CatchUpTimeout, ct) ?? dialect.StartReplica);
                break;
            case ReplicaAction.Configure configure:
                await ConfigureAsync(client, configure, source, sourceState, dialect, done, ct);
                break;
        }

        if (done.Count > 0)
        {
            log.Step("replica", $"{snapshot.Name} <- {sourceName}: {action.Why}; {string.Join(", ", done)}");
        }

        return done.Count > 0;
    }

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    private static async Task ConfigureAsync(
        ISqlClient client, ReplicaAction.Configure configure, ReplicationSource source, GtidPosition sourceState, ReplicationDialect dialect, List<string> done, CancellationToken ct)
    {
        if (configure.HadChannel)
        {
            await client.ExecuteAsync(dialect.StopReplica, ct);
            done.Add(dialect.StopReplica);
        }

        if (configure.SetSlavePos)
        {
            await client.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", configure.From.ToString())), ct);
            done.Add($"gtid_slave_pos = '{configure.From}'");
        }

        // The assertion the whole policy rests on: the replica resumes exactly where its data stands.
        var actual = GtidPosition.Parse(await client.ScalarAsync("SELECT @@gtid_slave_pos", ct));
        if (!actual.Equals(configure.From))
        {
            throw new OperationFailedException(
                $"{client.Server}: gtid_slave_pos is '{actual}' but the replica must start at '{configure.From}'.",
                "another process changed the replica during the bootstrap; run it again once nothing else touches the server.");
        }

        await client.ExecuteAsync(dialect.ChangeSource(source), ct);
        var own = await OwnServerIdCatchUp.StartAsync(client, sourceState, configure.From, dialect, CatchUpTimeout, ct);
        done.Add($"{dialect.ChangeSourceTo} {source.Host}:{source.Port} from '{configure.From}' (asserted)");
        done.Add(own ?? dialect.StartReplica);
    }
}
