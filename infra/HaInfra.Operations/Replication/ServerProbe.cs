using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Replication;

/// <summary>Reads a <see cref="ServerSnapshot"/> from a MariaDB server: identity, GTID positions, replica channel, semi-sync.</summary>
public static class ServerProbe
{
    private const string SystemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys'";

    /// <summary>
    /// Snapshots of every host, the primary read last. Under writes, a replica read after the primary could show
    /// GTIDs the primary's (older) snapshot lacks and look errant; anything a replica has, the primary had first.
    /// </summary>
    public static async Task<Dictionary<string, ServerSnapshot?>> ReadTopologyAsync(
        HaInfra.Model.Topology topology, Func<string, Task<ISqlClient?>> clientFor, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, ServerSnapshot?>(StringComparer.Ordinal);
        async Task ReadOne(string host)
        {
            var client = await clientFor(host);
            result[host] = client is null ? null : await ReadAsync(client, cancellationToken);
        }

        foreach (var replica in topology.Replicas)
        {
            await ReadOne(replica.Name);
        }

        await ReadOne(topology.Primary.Name);
        return result;
    }

    public static async Task<ServerSnapshot> ReadAsync(ISqlClient client, CancellationToken cancellationToken = default)
    {
        var identity = await client.QuerySingleAsync(
            "SELECT @@version AS version, @@server_id AS server_id, @@read_only AS read_only, " +
            "@@gtid_binlog_pos AS binlog_pos, @@gtid_binlog_state AS binlog_state, " +
            "@@gtid_slave_pos AS slave_pos, @@gtid_current_pos AS current_pos", cancellationToken)
            ?? throw new InvalidOperationException($"{client.Server}: the identity query returned no row");
        var (flavor, version) = ServerDialects.Identify(identity.Text("version")!);
        var dialect = ServerDialects.For(flavor, version);

        var tables = await client.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN ({SystemSchemas})", cancellationToken);
        var channel = await client.QuerySingleAsync(dialect.ShowReplicaStatus, cancellationToken);
        var variables = await client.VariablesAsync("VARIABLES", [dialect.SemiSyncSourceVariable, dialect.SemiSyncReplicaVariable], cancellationToken);
        var status = await client.VariablesAsync("STATUS",
            ["Rpl_semi_sync_master_status", "Rpl_semi_sync_master_clients", "Rpl_semi_sync_slave_status"], cancellationToken);

        return new ServerSnapshot(
            client.Server,
            flavor,
            version,
            uint.Parse(identity.Text("server_id")!, CultureInfo.InvariantCulture),
            identity.Text("read_only") is "1" or "ON",
            GtidPosition.Parse(identity.Text("binlog_pos")),
            GtidPosition.Parse(identity.Text("binlog_state")),
            GtidPosition.Parse(identity.Text("slave_pos")),
            GtidPosition.Parse(identity.Text("current_pos")),
            await OldestBinlogStartAsync(client, cancellationToken),
            int.Parse(tables ?? "0", CultureInfo.InvariantCulture),
            channel is null ? null : ReadChannel(channel, dialect),
            new SemiSyncState(
                IsOn(variables, dialect.SemiSyncSourceVariable),
                IsOn(status, "Rpl_semi_sync_master_status"),
                status.TryGetValue("Rpl_semi_sync_master_clients", out var clients) && int.TryParse(clients, CultureInfo.InvariantCulture, out var n) ? n : 0,
                IsOn(variables, dialect.SemiSyncReplicaVariable),
                IsOn(status, "Rpl_semi_sync_slave_status")));
    }

    /// <summary>
    /// The GTID position at the start of the oldest binlog still on the server. Empty means the binlogs go back
    /// to the first transaction, so a replica with no data can replay them all.
    /// </summary>
    private static async Task<GtidPosition> OldestBinlogStartAsync(ISqlClient client, CancellationToken cancellationToken)
    {
        var logs = await client.QueryAsync("SHOW BINARY LOGS", cancellationToken);
        if (logs.Count == 0)
        {
            return GtidPosition.Empty;
        }

        var start = await client.ScalarAsync(SqlStatement.With("SELECT BINLOG_GTID_POS(@file, 4)", ("file", logs[0].Text("Log_name"))), cancellationToken);
        return GtidPosition.Parse(start);
    }

    private static ReplicaChannel ReadChannel(SqlRow row, ReplicationDialect dialect) => new(
        row.Text(dialect.Column("Host")) ?? "",
        (int)(row.Number(dialect.Column("Port")) ?? 0),
        row.Text(dialect.Column("User")) ?? "",
        row.Text(dialect.Column("IO_Running")) ?? "No",
        row.Text(dialect.Column("SQL_Running")) == "Yes",
        row.Number(dialect.Column("Seconds_Behind")),
        row.Has("Using_Gtid") ? row.Text("Using_Gtid") ?? "No" : "No",
        row.Text(dialect.Column("SSL_Allowed")) == "Yes",
        (int)(row.Number("Last_IO_Errno") ?? 0),
        NullIfEmpty(row.Text("Last_IO_Error")),
        (int)(row.Number("Last_SQL_Errno") ?? 0),
        NullIfEmpty(row.Text("Last_SQL_Error")),
        row.Has("Gtid_IO_Pos") ? GtidPosition.Parse(row.Text("Gtid_IO_Pos")) : GtidPosition.Empty,
        row.Has(dialect.Column("IO_State")) ? NullIfEmpty(row.Text(dialect.Column("IO_State"))) : null);

    private static bool IsOn(IReadOnlyDictionary<string, string?> values, string name) =>
        values.TryGetValue(name, out var value) && value is "ON" or "1";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
