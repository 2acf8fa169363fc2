namespace HaInfra.Operations.Sql;

/// <summary>
/// Empties a server's binary log and gives it a new GTID state: RESET MASTER, then SET GLOBAL gtid_binlog_state.
/// Both wait for a binlog checkpoint, which InnoDB completes only when its redo log is next flushed; on a server
/// with nothing left to commit that is its once-a-second timer. Measured on bench/backup's point-in-time restore:
/// 0.7-1.7 s of waiting after a 2-4 s replay; a single flush beforehand still left one run of four waiting 0.7 s
/// (the redo log moves on meanwhile). A second session flushes the redo log while each statement waits (0.03 s).
/// NO_WRITE_TO_BINLOG: a plain FLUSH is written to the binary log, and would give the server a GTID of its own.
/// </summary>
public static class BinlogReset
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(20);

    public static async Task ToStateAsync(ISqlClient server, ISqlConnector connector, SqlEndpoint endpoint, string state, CancellationToken ct)
    {
        await using var flusher = await connector.ConnectAsync(endpoint, ct);
        await WhileFlushingAsync(server.ExecuteAsync("RESET MASTER", ct), flusher, ct);
        await WhileFlushingAsync(server.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_binlog_state = @state", ("state", state)), ct), flusher, ct);
    }

    private static async Task WhileFlushingAsync(Task statement, ISqlClient flusher, CancellationToken ct)
    {
        // The flushes only shorten the wait: one that fails ends them, and the statement's own outcome is the result
        // (a failed flush after RESET MASTER must not skip the gtid_binlog_state that follows it).
        var flushing = true;
        while (flushing && !statement.IsCompleted)
        {
            try
            {
                await flusher.ExecuteAsync("FLUSH NO_WRITE_TO_BINLOG ENGINE LOGS", CancellationToken.None);
            }
            catch (SqlOperationException)
            {
                flushing = false;
            }

            await Task.WhenAny(statement, Task.Delay(FlushEvery, CancellationToken.None));
        }

        await statement;
    }
}
