using System.Diagnostics;
using System.Globalization;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Proves replication works end to end: replica threads running, semi-sync replicas registered, and a canary
/// row written on the primary read back on every replica before a deadline.
/// </summary>
internal sealed class ReplicationVerifier
{
    public const string CanarySchema = "hainfra";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    private readonly ServerSet _servers;
    private readonly ReplicationDialect _dialect;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _deadline;
    private readonly IStepLog _log;

    public ReplicationVerifier(ServerSet servers, ReplicationDialect dialect, Stopwatch clock, TimeSpan deadline, IStepLog log)
    {
        _servers = servers;
        _dialect = dialect;
        _clock = clock;
        _deadline = deadline;
        _log = log;
    }

    private TimeSpan Remaining => _deadline - _clock.Elapsed;

    public async Task WaitRunningAsync(IEnumerable<string> replicas, CancellationToken ct) =>
        await Task.WhenAll(replicas.Select(r => WaitRunningAsync(r, ct)));

    public async Task WaitSemiSyncClientsAsync(string primary, int expected, CancellationToken ct)
    {
        var clients = 0;
        while (Remaining > TimeSpan.Zero)
        {
            var status = await _servers[primary].VariablesAsync("STATUS", ["Rpl_semi_sync_master_clients"], ct);
            clients = int.Parse(status.GetValueOrDefault("Rpl_semi_sync_master_clients") ?? "0", CultureInfo.InvariantCulture);
            if (clients >= expected)
            {
                return;
            }

            await Task.Delay(Poll, ct);
        }

        throw new OperationFailedException(
            $"{primary}: {clients} of {expected} semi-sync replicas registered within {_deadline.TotalSeconds:0} s.",
            "check that the semi-sync replicas run with rpl_semi_sync_slave_enabled=ON and that their IO threads are connected.");
    }

    /// <summary>Writes the canary on the primary and waits for its GTID on every replica; returns that GTID.</summary>
    public async Task<string> CanaryAsync(string primary, IReadOnlyList<string> replicas, CancellationToken ct)
    {
        var source = _servers[primary];
        var exists = await source.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{CanarySchema}' AND TABLE_NAME = 'canary'", ct);
        if (exists == "0")
        {
            await source.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {CanarySchema}", ct);
            await source.ExecuteAsync(
                $"CREATE TABLE IF NOT EXISTS {CanarySchema}.canary (id TINYINT PRIMARY KEY, token CHAR(32) NOT NULL, written_at DATETIME(6) NOT NULL) ENGINE=InnoDB", ct);
        }

        var token = Guid.NewGuid().ToString("N");
        await source.ExecuteAsync(SqlStatement.With(
            $"INSERT INTO {CanarySchema}.canary (id, token, written_at) VALUES (1, @token, NOW(6)) " +
            "ON DUPLICATE KEY UPDATE token = VALUES(token), written_at = VALUES(written_at)", ("token", token)), ct);
        var gtid = await source.ScalarAsync("SELECT @@last_gtid", ct) ?? "";

        var seen = await Task.WhenAll(replicas.Select(r => ReadCanaryAsync(r, gtid, token, ct)));
        _log.Step("verify", $"canary {gtid} written on {primary}, read on {string.Join(", ", seen)}");
        return gtid;
    }

    /// <summary>Read-only check: every replica has applied what the primary has logged.</summary>
    public async Task<string> CaughtUpAsync(string primary, IReadOnlyList<string> replicas, CancellationToken ct)
    {
        var position = await _servers[primary].ScalarAsync("SELECT @@gtid_binlog_pos", ct) ?? "";
        await Task.WhenAll(replicas.Select(r => WaitGtidAsync(r, position, ct)));
        return position;
    }

    private async Task<string> ReadCanaryAsync(string replica, string gtid, string token, CancellationToken ct)
    {
        var started = _clock.Elapsed;
        await WaitGtidAsync(replica, gtid, ct);
        var read = await _servers[replica].ScalarAsync($"SELECT token FROM {CanarySchema}.canary WHERE id = 1", ct);
        if (read != token)
        {
            throw new OperationFailedException(
                $"{replica} reached GTID {gtid} but its canary row holds '{read}', not the token just written.",
                $"{replica}'s data differs from the primary's; rebuild it (reseed).");
        }

        return $"{replica} ({(_clock.Elapsed - started).TotalMilliseconds:0} ms)";
    }

    private async Task WaitGtidAsync(string replica, string gtid, CancellationToken ct)
    {
        var seconds = Math.Max(0.1, Remaining.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);
        var result = await _servers[replica].ScalarAsync(
            SqlStatement.With($"SELECT MASTER_GTID_WAIT(@gtid, {seconds})", ("gtid", gtid)), ct);
        if (result != "0")
        {
            var status = await ServerProbe.ReadAsync(_servers[replica], ct);
            throw new OperationFailedException(
                $"{replica} did not apply GTID {gtid} within {_deadline.TotalSeconds:0} s (it is at '{status.SlavePos}'; {ChannelText(status.Channel)}).",
                Diagnosis.ForChannel(status.Channel));
        }
    }

    private async Task WaitRunningAsync(string replica, CancellationToken ct)
    {
        while (true)
        {
            var row = await _servers[replica].QuerySingleAsync(_dialect.ShowReplicaStatus, ct);
            var io = row?.Text(_dialect.Column("IO_Running"));
            var sql = row?.Text(_dialect.Column("SQL_Running"));
            var sqlErrno = row?.Number("Last_SQL_Errno") ?? 0;
            if (io == "Yes" && sql == "Yes")
            {
                return;
            }

            if (sqlErrno != 0 || Remaining <= TimeSpan.Zero)
            {
                var snapshot = await ServerProbe.ReadAsync(_servers[replica], ct);
                throw new OperationFailedException(
                    $"{replica}: replication is not running ({ChannelText(snapshot.Channel)}).",
                    Diagnosis.ForChannel(snapshot.Channel));
            }

            await Task.Delay(Poll, ct);
        }
    }

    private static string ChannelText(ReplicaChannel? channel) => channel is null
        ? "no replication configured"
        : $"IO {channel.IoRunning}, SQL {(channel.SqlRunning ? "Yes" : "No")}" +
          (channel.LastIoErrno != 0 ? $", IO error {channel.LastIoErrno}: {channel.LastIoError}" : "") +
          (channel.LastSqlErrno != 0 ? $", SQL error {channel.LastSqlErrno}: {channel.LastSqlError}" : "");
}
