using System.Globalization;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// hainfra.term: one row per term, written on the new primary as its first write of the term and replicated with the
/// data, so every server carries the history and the record exists wherever the data does (no bucket, no cloud API).
/// </summary>
public static class TermTable
{
    public const string Schema = "hainfra";
    public const string Table = "hainfra.term";

    public static async Task EnsureAsync(ISqlClient primary, CancellationToken ct)
    {
        await primary.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {Schema}", ct);
        await primary.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (term BIGINT UNSIGNED NOT NULL PRIMARY KEY, primary_host VARCHAR(63) NOT NULL, " +
            "server_id INT UNSIGNED NOT NULL, kind VARCHAR(16) NOT NULL, previous_host VARCHAR(63) NULL, fork_gtid TEXT NOT NULL, " +
            "at DATETIME(6) NOT NULL) ENGINE=InnoDB", ct);
    }

    /// <summary>The highest term this server knows of; null when it has none (or no table yet).</summary>
    public static async Task<TermRecord?> LatestAsync(ISqlClient client, CancellationToken ct)
    {
        var rows = await HistoryAsync(client, 1, ct);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Up to <paramref name="limit"/> terms, newest first.</summary>
    public static async Task<IReadOnlyList<TermRecord>> HistoryAsync(ISqlClient client, int limit, CancellationToken ct)
    {
        IReadOnlyList<SqlRow> rows;
        try
        {
            rows = await client.QueryAsync(
                $"SELECT term, primary_host, server_id, kind, previous_host, fork_gtid, at FROM {Table} ORDER BY term DESC LIMIT {limit}", ct);
        }
        catch (SqlOperationException e) when (e.Error is SqlError.UnknownTable or SqlError.UnknownDatabase)
        {
            return [];
        }

        return [.. rows.Select(r => new TermRecord(
            r.Number("term")!.Value,
            r.Text("primary_host")!,
            uint.Parse(r.Text("server_id")!, CultureInfo.InvariantCulture),
            r.Text("kind")!,
            r.Text("previous_host"),
            r.Text("fork_gtid") ?? "",
            new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(r.Text("at")!, CultureInfo.InvariantCulture), DateTimeKind.Utc))))];
    }

    /// <summary>server_ids of every host that held a term: transactions from any other server were never a primary's.</summary>
    public static async Task<IReadOnlySet<uint>> HoldersAsync(ISqlClient client, CancellationToken ct)
    {
        try
        {
            var rows = await client.QueryAsync($"SELECT DISTINCT server_id FROM {Table}", ct);
            return rows.Select(r => uint.Parse(r.Text("server_id")!, CultureInfo.InvariantCulture)).ToHashSet();
        }
        catch (SqlOperationException e) when (e.Error is SqlError.UnknownTable or SqlError.UnknownDatabase)
        {
            return new HashSet<uint>();
        }
    }

    /// <summary>Writes the term row on the primary, binlogged, so it replicates to every server.</summary>
    public static async Task WriteAsync(ISqlClient primary, TermRecord record, CancellationToken ct)
    {
        await EnsureAsync(primary, ct);
        await primary.ExecuteAsync(SqlStatement.With(
            $"INSERT INTO {Table} (term, primary_host, server_id, kind, previous_host, fork_gtid, at) " +
            "VALUES (@term, @host, @id, @kind, @previous, @fork, @at)",
            ("term", record.Term), ("host", record.Primary), ("id", record.ServerId), ("kind", record.Kind),
            ("previous", record.Previous), ("fork", record.ForkGtid), ("at", record.At.UtcDateTime)), ct);
    }
}
