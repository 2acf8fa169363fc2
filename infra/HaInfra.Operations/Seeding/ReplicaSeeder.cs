using System.Diagnostics;
using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Seeding;

/// <summary>The outcome of one seed, for the one-line summary and the checksum check that follows.</summary>
public sealed record SeedResult(string Target, string Donor, SeedMethod Method, GtidPosition Gtid, long Bytes, TimeSpan CopyTime, TimeSpan Total);

/// <summary>
/// Gives an empty (or to-be-rebuilt) replica a copy of a donor's data and the exact GTID it was taken at. Named
/// steps, each logged: check disk, reset target, copy (physical or logical), start, set gtid_slave_pos (asserted).
/// Replication itself is configured afterwards by the bootstrap, which sees the position and resumes there.
/// </summary>
public sealed class ReplicaSeeder
{
    /// <summary>Room left on the target's filesystem after the copy: InnoDB and the binlog need to grow.</summary>
    public const long DefaultDiskReserve = 256L << 20;

    private readonly IHostRunner _runner;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;
    private readonly IProgress<SeedProgress>? _progress;

    public ReplicaSeeder(IHostRunner runner, ISqlConnector connector, IStepLog log, IProgress<SeedProgress>? progress)
    {
        _runner = runner;
        _connector = connector;
        _log = log;
        _progress = progress;
    }

    public long DiskReserve { get; init; } = DefaultDiskReserve;

    public async Task<SeedResult> SeedAsync(SeedMethod method, SeedSource donor, ISeedTarget target, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var tools = SeedTools.Find();
        var (physicalBytes, dumpBytes) = await EstimateAsync(donor, method, ct);
        DiskSpace.Require(target.Host, target.DataDir, physicalBytes, DiskReserve);
        var methodName = Spellings.SeedMethod.Of(method);
        target.BeginSeed(methodName, donor.Host);
        await target.ResetAsync(ct);

        (StreamPipe.Result Copy, GtidPosition Gtid) seeded;
        if (method == SeedMethod.Physical)
        {
            seeded = await PhysicalSeed.CopyAsync(_runner, tools, donor, target, physicalBytes, _progress, ct);
            await target.StartAsync(ct);
        }
        else
        {
            await target.InitializeEmptyAsync(ct);
            await target.StartAsync(ct);
            seeded = await LogicalSeed.CopyAsync(_runner, tools, donor, target, dumpBytes, _progress, ct);
        }

        await SetPositionAsync(donor, target, seeded.Gtid, reloadPrivileges: method == SeedMethod.Logical, ct);
        target.CompleteSeed();
        var result = new SeedResult(target.Host, donor.Host, method, seeded.Gtid, seeded.Copy.Bytes, seeded.Copy.Elapsed, clock.Elapsed);
        _log.Step("seed", $"{target.Host} from {donor.Host} ({methodName}): {SeedProgress.Size(result.Bytes)} in " +
            $"{result.CopyTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s " +
            $"({SeedProgress.Size((long)(result.Bytes / Math.Max(0.001, result.CopyTime.TotalSeconds)))}/s), ready at GTID '{result.Gtid}' " +
            $"after {result.Total.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        return result;
    }

    /// <summary>
    /// Sizes for the disk check and the ETA. Physical: InnoDB tablespaces as allocated (system included, temporary
    /// not), the redo log, and an allowance for the few Aria/MyISAM system tables (asking information_schema.TABLES
    /// for them opens every table, which costs more than the allowance is worth). Dump: the row data, as text.
    /// </summary>
    private async Task<(long Physical, long Dump)> EstimateAsync(SeedSource donor, SeedMethod method, CancellationToken ct)
    {
        const long otherEngines = 16L << 20;
        await using var client = await _connector.ConnectAsync(donor.Admin, ct);
        var physical = await client.ScalarAsync(
            "SELECT (SELECT COALESCE(SUM(ALLOCATED_SIZE), 0) FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME <> 'innodb_temporary') " +
            "+ @@innodb_log_file_size", ct);
        var dump = method == SeedMethod.Logical
            ? await client.ScalarAsync("SELECT COALESCE(SUM(DATA_LENGTH), 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA <> 'information_schema'", ct)
            : "0";
        return (long.Parse(physical ?? "0", CultureInfo.InvariantCulture) + otherEngines, long.Parse(dump ?? "0", CultureInfo.InvariantCulture));
    }

    private async Task SetPositionAsync(SeedSource donor, ISeedTarget target, GtidPosition gtid, bool reloadPrivileges, CancellationToken ct)
    {
        GtidPosition donorState;
        await using (var source = await _connector.ConnectAsync(donor.Admin, ct))
        {
            donorState = GtidPosition.Parse(await source.ScalarAsync("SELECT @@gtid_binlog_state", ct));
        }

        await using var client = await _connector.ConnectAsync(target.Admin, ct);
        if (reloadPrivileges)
        {
            // The dump replaced the grant tables; make the server use them. NO_WRITE_TO_BINLOG: no GTID of its own.
            await client.ExecuteAsync("FLUSH NO_WRITE_TO_BINLOG PRIVILEGES", ct);
        }

        await client.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", gtid.ToString())), ct);
        var actual = GtidPosition.Parse(await client.ScalarAsync("SELECT @@gtid_slave_pos", ct));
        var binlog = GtidPosition.Parse(await client.ScalarAsync("SELECT @@gtid_binlog_pos", ct));
        if (!actual.Equals(gtid) || !binlog.IsEmpty)
        {
            throw new OperationFailedException(
                $"{target.Host}: after the seed gtid_slave_pos is '{actual}' and gtid_binlog_pos '{binlog}'; expected '{gtid}' and an empty binlog.",
                "something wrote to the target during the seed; seed it again.");
        }

        // The copy's history, so a later comparison of binlog states (errant GTIDs, rejoin) sees what its data holds.
        var state = donorState.StateAt(gtid);
        await client.ExecuteAsync("RESET MASTER", ct);
        await client.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_binlog_state = @state", ("state", state.ToString())), ct);
    }
}
