using System.Diagnostics;
using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Seeding;

/// <summary>
/// Proves a seeded replica holds exactly the donor's data: CHECKSUM TABLE of every user table on both, at the
/// same GTID, while writes go on. The donor is read in one consistent snapshot (whose binlog position gives the
/// GTID G); the replica's SQL thread is run UNTIL G's position in the primary's binlog, checksummed, then resumed.
/// </summary>
public sealed class ChecksumVerifier
{
    private const string SystemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys'";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public ChecksumVerifier(ISqlConnector connector, IStepLog log)
    {
        _connector = connector;
        _log = log;
    }

    public async Task<int> VerifyAsync(SqlEndpoint donor, SqlEndpoint replica, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var target = await _connector.ConnectAsync(replica, ct);
        await using var source = await _connector.ConnectAsync(donor, ct);

        // Replication statements commit implicitly, so the donor's are sent on a connection of their own.
        await using var donorControl = await _connector.ConnectAsync(donor, ct);

        // 1. Freeze the replica's apply point. Only the SQL thread stops: the IO thread (and the primary's dump
        // thread for it) stays connected. A GTID UNTIL would need both threads restarted, and MariaDB 10.11 can leave
        // a semi-sync dump thread that ends at an UNTIL position hanging in "Waiting to finalize termination", after
        // which that replica cannot reconnect until the primary restarts.
        await target.ExecuteAsync("STOP SLAVE SQL_THREAD", ct);
        try
        {
            var frozen = await target.ScalarAsync("SELECT @@gtid_slave_pos", ct) ?? "";

            // 2. One consistent snapshot of the donor, its GTID, and where that is in the primary's binlog.
            var snapshot = await DonorSnapshotAsync(source, donorControl, frozen, ct);
            var gtid = snapshot.Gtid;

            // 3. Bring the replica exactly to that point (UNTIL a binlog position of its own primary).
            await target.ExecuteAsync(SqlStatement.With("START SLAVE SQL_THREAD UNTIL MASTER_LOG_FILE = @file, MASTER_LOG_POS = @pos",
                ("file", snapshot.PrimaryFile), ("pos", snapshot.PrimaryPosition)), ct);
            await WaitStoppedAtAsync(target, gtid, clock, ct);

            // 4. Checksums on both, in parallel.
            var tables = await UserTablesAsync(source, ct);
            var sums = await Task.WhenAll(ChecksumsAsync(source, tables, ct), ChecksumsAsync(target, tables, ct));
            var mismatched = tables.Where(t => sums[0][t] != sums[1][t]).ToList();
            if (mismatched.Count > 0)
            {
                await ExplainMismatchAsync(source, target, donor.Name, replica.Name, gtid, tables.Count, mismatched, sums, ct);
            }

            await source.ExecuteAsync("COMMIT", ct);
            _log.Step("checksum", $"{replica.Name} equals {donor.Name} at GTID '{gtid}': CHECKSUM TABLE of {tables.Count} tables " +
                $"in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            return tables.Count;
        }
        finally
        {
            // Resume whatever happened: drop the UNTIL condition (a running SQL thread keeps it), then START SLAVE
            // starts only the threads that are stopped.
            await target.ExecuteAsync("STOP SLAVE SQL_THREAD", ct);
            await target.ExecuteAsync("START SLAVE", ct);
        }
    }

    /// <summary>
    /// A mismatch is read again before it is reported: both sides are still frozen at the same GTID (the replica's SQL
    /// thread stopped there, the donor inside its snapshot), so data that differ must differ again; a table whose
    /// second reading agrees on both is equal, and the disagreeing first reading is logged, not trusted. What still
    /// differs is reported with each side's row count, so an operator sees missing or extra rows at a glance.
    /// </summary>
    private async Task ExplainMismatchAsync(
        ISqlClient source, ISqlClient target, string donorName, string replicaName, GtidPosition gtid, int tableCount,
        List<string> mismatched, Dictionary<string, string?>[] first, CancellationToken ct)
    {
        var again = await Task.WhenAll(ChecksumsAsync(source, mismatched, ct), ChecksumsAsync(target, mismatched, ct));

        // The argument holds only if the replica really stayed at G through both readings.
        var stayed = GtidPosition.Parse(await target.ScalarAsync("SELECT @@gtid_slave_pos", ct));
        if (!stayed.Equals(gtid))
        {
            throw new OperationFailedException($"{replicaName} moved from GTID '{gtid}' to '{stayed}' while it was being verified.", "run the verification again.");
        }

        var still = new List<string>();
        foreach (var table in mismatched)
        {
            if (again[0][table] == again[1][table])
            {
                _log.Warn($"CHECKSUM TABLE {table} first read {first[1][table]} on {replicaName} and {first[0][table]} on {donorName}; " +
                    $"read again at the same GTID '{gtid}' both give {again[0][table]}: equal");
                continue;
            }

            var rows = await Task.WhenAll(source.ScalarAsync($"SELECT COUNT(*) FROM {table}", ct), target.ScalarAsync($"SELECT COUNT(*) FROM {table}", ct));
            still.Add($"{table} (checksum {again[1][table]} vs {again[0][table]}, rows {rows[1]} vs {rows[0]}" +
                (first[0][table] != again[0][table] || first[1][table] != again[1][table] ? $"; first read {first[1][table]} vs {first[0][table]}" : "") + ")");
        }

        if (still.Count > 0)
        {
            throw new OperationFailedException(
                $"{replicaName} differs from {donorName} at GTID '{gtid}' in {still.Count} of {tableCount} tables ({replicaName} vs {donorName}, read twice): " +
                string.Join(", ", still.Take(10)),
                $"the copy is not exact; reseed {replicaName} (local reseed {replicaName}) and report this if it repeats.");
        }
    }

    private sealed record DonorSnapshot(GtidPosition Gtid, string PrimaryFile, long PrimaryPosition);

    /// <summary>
    /// Opens a consistent snapshot on the donor (left open for the checksums) and returns its GTID and the primary's
    /// binlog position of that GTID. The primary's snapshot position is in its own binlog; a replica donor's SQL
    /// thread is held for a moment so that its applied GTID, its primary position and the snapshot agree.
    /// </summary>
    private static async Task<DonorSnapshot> DonorSnapshotAsync(ISqlClient donor, ISqlClient control, string frozen, CancellationToken ct)
    {
        if (await donor.ScalarAsync("SELECT @@gtid_slave_pos <> '' AND @@read_only", ct) != "1")
        {
            await donor.ExecuteAsync("START TRANSACTION WITH CONSISTENT SNAPSHOT", ct);
            var status = await donor.VariablesAsync("STATUS", ["Binlog_snapshot_file", "Binlog_snapshot_position"], ct);
            var file = status.GetValueOrDefault("binlog_snapshot_file") ?? "";
            var pos = status.GetValueOrDefault("binlog_snapshot_position") ?? "0";
            var gtid = GtidPosition.Parse(await donor.ScalarAsync(SqlStatement.With("SELECT BINLOG_GTID_POS(@file, @pos)", ("file", file), ("pos", pos)), ct));
            return new DonorSnapshot(gtid, Path.GetFileName(file), long.Parse(pos, CultureInfo.InvariantCulture));
        }

        // The donor must have applied at least what the replica has, or the replica would have to go back.
        await donor.ScalarAsync(SqlStatement.With("SELECT MASTER_GTID_WAIT(@pos, 60)", ("pos", frozen)), ct);
        await control.ExecuteAsync("STOP SLAVE SQL_THREAD", ct);
        try
        {
            var replication = await control.QuerySingleAsync("SHOW SLAVE STATUS", ct)
                ?? throw new OperationFailedException($"{donor.Server} stopped being a replica during the verification.", "run the verification again.");
            await donor.ExecuteAsync("START TRANSACTION WITH CONSISTENT SNAPSHOT", ct);
            var gtid = GtidPosition.Parse(await donor.ScalarAsync("SELECT @@gtid_slave_pos", ct));
            return new DonorSnapshot(gtid, replication.Text("Relay_Master_Log_File") ?? "", replication.Number("Exec_Master_Log_Pos") ?? 0);
        }
        finally
        {
            await control.ExecuteAsync("START SLAVE SQL_THREAD", ct);
        }
    }

    private static async Task<List<string>> UserTablesAsync(ISqlClient client, CancellationToken ct)
    {
        var rows = await client.QueryAsync(
            $"SELECT CONCAT('`', TABLE_SCHEMA, '`.`', TABLE_NAME, '`') AS name FROM information_schema.TABLES " +
            $"WHERE TABLE_SCHEMA NOT IN ({SystemSchemas}) AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME", ct);
        return [.. rows.Select(r => r.Text("name")!)];
    }

    private static async Task<Dictionary<string, string?>> ChecksumsAsync(ISqlClient client, List<string> tables, CancellationToken ct)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var batch in tables.Chunk(50))
        {
            foreach (var row in await client.QueryAsync($"CHECKSUM TABLE {string.Join(", ", batch)}", ct))
            {
                var name = row.Text("Table")!;
                var quoted = "`" + name.Replace(".", "`.`", StringComparison.Ordinal) + "`";
                result[quoted] = row.Text("Checksum");
            }
        }

        return result;
    }

    private static async Task WaitStoppedAtAsync(ISqlClient target, GtidPosition gtid, Stopwatch clock, CancellationToken ct)
    {
        while (true)
        {
            var status = await target.QuerySingleAsync("SHOW SLAVE STATUS", ct);
            var position = GtidPosition.Parse(await target.ScalarAsync("SELECT @@gtid_slave_pos", ct));

            // UNTIL never applies past G, so reaching G is enough; the SQL thread may stay up when it already stood at G.
            if (position.Equals(gtid))
            {
                return;
            }

            if (position.Contains(gtid))
            {
                throw new OperationFailedException($"{target.Server} is at '{position}', past the donor's snapshot '{gtid}'.", "run the verification again.");
            }

            if (status?.Number("Last_SQL_Errno") is > 0)
            {
                throw new OperationFailedException($"{target.Server}: replication failed on the way to '{gtid}': {status.Text("Last_SQL_Error")}",
                    "the seeded copy is not consistent with the source; reseed it.");
            }

            if (clock.Elapsed > Deadline)
            {
                throw new OperationFailedException($"{target.Server} did not reach GTID '{gtid}' within {Deadline.TotalSeconds:0} s (at '{position}').",
                    "check that the replica's IO thread is connected and that it keeps up, then verify again.");
            }

            await Task.Delay(25, ct);
        }
    }
}
