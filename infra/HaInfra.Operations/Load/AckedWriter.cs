using System.Diagnostics;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Load;

/// <summary>
/// A client that writes one row per transaction through the writer endpoint and records every write the server
/// acknowledged, so a drill can prove afterwards that each one is present, exactly once, on every server. Each row
/// has its own id; after an error with an unknown outcome (the connection died during the commit) the same id is
/// retried, and a duplicate-key answer then means the first attempt had committed: acknowledged once, never twice.
/// </summary>
public sealed class AckedWriter
{
    public const string Schema = "hainfra_load";
    public const string Table = "hainfra_load.writes";

    /// <summary>A pause in acknowledgements longer than this is recorded as a gap.</summary>
    public static readonly TimeSpan GapThreshold = TimeSpan.FromMilliseconds(200);

    private readonly ISqlConnector _connector;
    private readonly SqlEndpoint _endpoint;
    private readonly string _writer;
    private long _acknowledged;

    public AckedWriter(ISqlConnector connector, SqlEndpoint endpoint, string writer)
    {
        _connector = connector;
        _endpoint = endpoint;
        _writer = writer;
    }

    public static async Task EnsureTableAsync(ISqlClient primary, CancellationToken ct)
    {
        await primary.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {Schema}", ct);
        await primary.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (id BIGINT UNSIGNED NOT NULL, writer VARCHAR(64) NOT NULL, at DATETIME(6) NOT NULL, " +
            "PRIMARY KEY (writer, id)) ENGINE=InnoDB", ct);
    }

    /// <summary>Writes acknowledged so far by the run under way (readable from another thread while it runs).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Writes until <paramref name="ct"/> is cancelled (or <paramref name="limit"/> writes were acknowledged); never throws for server errors.</summary>
    /// <param name="pause">Time between writes; zero writes as fast as one connection can.</param>
    public async Task<WriteReport> RunAsync(TimeSpan pause, long limit = long.MaxValue, CancellationToken ct = default)
    {
        var report = new WriteReport { Writer = _writer, Started = DateTimeOffset.UtcNow };
        var clock = Stopwatch.StartNew();
        ISqlClient? client = null;
        long id = 1;
        var lastAck = TimeSpan.Zero;
        var inDoubt = false;
        try
        {
            while (!ct.IsCancellationRequested && report.Acked.Count < limit)
            {
                var sent = false;
                try
                {
                    client ??= await ConnectAsync(ct);
                    sent = true;
                    // WaitAsync: the run ends when asked even if the server never answers (a hung primary behind the endpoint).
                    await client.ExecuteAsync(SqlStatement.With($"INSERT INTO {Table} (id, writer, at) VALUES (@id, @writer, NOW(6))", ("id", id), ("writer", _writer)), ct)
                        .WaitAsync(ct);
                    Ack(report, id++, clock.Elapsed, ref lastAck);
                    inDoubt = false;
                }
                catch (SqlOperationException e) when (e.Error == SqlError.DuplicateKey && (inDoubt || report.Acked.Count > 0))
                {
                    // An earlier attempt whose answer was lost had committed: acknowledged now, once.
                    Ack(report, id++, clock.Elapsed, ref lastAck);
                    report.ResolvedInDoubt++;
                    inDoubt = false;
                }
                catch (SqlOperationException e) when (e.Error == SqlError.DuplicateKey)
                {
                    throw new OperationFailedException(
                        $"writer '{_writer}' already has row {id} in {Table}, from an earlier run.", "give each run its own writer name.");
                }
                catch (SqlOperationException e)
                {
                    report.Errors++;
                    report.LastError = $"{e.Error}: {e.Message}";

                    // Once the statement was sent, only a refusal the server stated (read-only) says it did not commit.
                    inDoubt |= sent && e.Error != SqlError.ReadOnly;
                    if (client is not null)
                    {
                        await CloseAsync(client);
                        client = null;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
                    continue;
                }

                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run's end: the write under way has an unknown outcome and is not counted as acknowledged.
        }
        finally
        {
            if (client is not null)
            {
                await CloseAsync(client);
            }
        }

        report.Ended = DateTimeOffset.UtcNow;
        return report;
    }

    /// <summary>
    /// Closes a connection, never waiting more than a second on a server that does not answer. Best effort: a statement
    /// abandoned by the run's end may still be reading (the driver then refuses to close, measured in the partition
    /// drill); the socket goes with the process.
    /// </summary>
    private static async Task CloseAsync(ISqlClient client)
    {
        try
        {
            await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is TimeoutException or NotSupportedException or InvalidOperationException or IOException or SqlOperationException)
        {
            // Left to the runtime.
        }
    }

    private void Ack(WriteReport report, long id, TimeSpan at, ref TimeSpan lastAck)
    {
        Interlocked.Increment(ref _acknowledged);
        if (at - lastAck > GapThreshold && report.Acked.Count > 0)
        {
            report.Gaps.Add(new WriteGap(lastAck.TotalSeconds, at.TotalSeconds));
        }

        report.Acked.Add(id);
        report.AckSeconds.Add(Math.Round(at.TotalSeconds, 4));
        lastAck = at;
    }

    private async Task<ISqlClient> ConnectAsync(CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await _connector.ConnectAsync(_endpoint, limit.Token).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SqlOperationException(_endpoint.Name, SqlError.CantConnectTcp, (int)SqlError.CantConnectTcp, "connect timed out", null);
        }
    }
}
