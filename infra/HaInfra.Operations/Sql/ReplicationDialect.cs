using HaInfra.Model;

namespace HaInfra.Operations.Sql;

/// <summary>
/// The statement forms and names one server flavour/version uses for replication. Chosen from the table in
/// <see cref="ServerDialects"/>; orchestration code never spells a replication statement itself.
/// </summary>
public sealed record ReplicationDialect(
    string Name,
    string ChangeSourceTo,
    string OptionPrefix,
    string GtidPositioning,
    string StartReplica,
    string StopReplica,
    string ShowReplicaStatus,
    string ResetReplicaAll,
    string ColumnPrefix,
    string SourceTerm,
    string SemiSyncSourceVariable,
    string SemiSyncReplicaVariable,
    bool NeedsSourcePublicKey)
{
    /// <summary>Options for pointing a replica at its source; the password travels as the @password parameter.</summary>
    public SqlStatement ChangeSource(ReplicationSource source)
    {
        var p = OptionPrefix;
        var options = new List<string>
        {
            $"{p}_HOST = '{source.Host}'",
            $"{p}_PORT = {source.Port}",
            $"{p}_USER = '{source.User}'",
            $"{p}_PASSWORD = @password",
            $"{p}_CONNECT_RETRY = {source.ConnectRetrySeconds}",
            GtidPositioning,
        };
        if (source.TlsCaFile is not null)
        {
            options.Add($"{p}_SSL = 1");
            options.Add($"{p}_SSL_CA = '{source.TlsCaFile}'");
            options.Add($"{p}_SSL_VERIFY_SERVER_CERT = 1");
        }
        else if (NeedsSourcePublicKey)
        {
            options.Add($"GET_{p}_PUBLIC_KEY = 1");
        }

        return SqlStatement.With($"{ChangeSourceTo} {string.Join(", ", options)}", ("password", source.Password));
    }

    /// <summary>A column of the replica status row, e.g. "IO_Running" → Slave_IO_Running or Replica_IO_Running.</summary>
    public string Column(string suffix) => suffix switch
    {
        "Host" or "Port" or "User" or "Log_File" or "SSL_Allowed" or "Server_Id" => $"{SourceTerm}_{suffix}",
        "Seconds_Behind" => $"Seconds_Behind_{SourceTerm}",
        _ => $"{ColumnPrefix}_{suffix}",
    };
}

/// <summary>Where a replica fetches from: an address reachable from the replica, and the replication account.</summary>
public sealed record ReplicationSource(string Host, int Port, string User, Secret Password, string? TlsCaFile, int ConnectRetrySeconds = 2);

/// <summary>
/// One table of flavours and version thresholds deciding statement forms, like MySqlConnector's ServerVersions:
/// the last row whose flavour matches and whose minimum version is at or below the server's wins.
/// </summary>
public static class ServerDialects
{
    private static readonly ReplicationDialect MariaDb = new(
        "MariaDB", "CHANGE MASTER TO", "MASTER", "MASTER_USE_GTID = slave_pos",
        "START SLAVE", "STOP SLAVE", "SHOW SLAVE STATUS", "RESET SLAVE ALL",
        "Slave", "Master", "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", false);

    private static readonly ReplicationDialect MySqlLegacy = new(
        "MySQL before 8.0.22", "CHANGE MASTER TO", "MASTER", "MASTER_AUTO_POSITION = 1",
        "START SLAVE", "STOP SLAVE", "SHOW SLAVE STATUS", "RESET SLAVE ALL",
        "Slave", "Master", "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", true);

    // 8.0.22 renamed START/STOP/SHOW/RESET and the status columns; CHANGE REPLICATION SOURCE came in 8.0.23.
    private static readonly ReplicationDialect MySql8022 = MySqlLegacy with
    {
        Name = "MySQL 8.0.22",
        StartReplica = "START REPLICA",
        StopReplica = "STOP REPLICA",
        ShowReplicaStatus = "SHOW REPLICA STATUS",
        ResetReplicaAll = "RESET REPLICA ALL",
        ColumnPrefix = "Replica",
        SourceTerm = "Source",
    };

    private static readonly ReplicationDialect MySql8023 = MySql8022 with
    {
        Name = "MySQL 8.0.23+",
        ChangeSourceTo = "CHANGE REPLICATION SOURCE TO",
        OptionPrefix = "SOURCE",
        GtidPositioning = "SOURCE_AUTO_POSITION = 1",
    };

    // 8.0.26 brought the semisync_source/semisync_replica plugins and their variable names.
    private static readonly ReplicationDialect MySql8026 = MySql8023 with
    {
        Name = "MySQL 8.0.26+",
        SemiSyncSourceVariable = "rpl_semi_sync_source_enabled",
        SemiSyncReplicaVariable = "rpl_semi_sync_replica_enabled",
    };

    private static readonly (ServerFlavor Flavor, ServerVersion Minimum, ReplicationDialect Dialect)[] Table =
    [
        (ServerFlavor.MariaDb, new(10, 0, 0), MariaDb),
        (ServerFlavor.MySql, new(5, 7, 0), MySqlLegacy),
        (ServerFlavor.MySql, new(8, 0, 22), MySql8022),
        (ServerFlavor.MySql, new(8, 0, 23), MySql8023),
        (ServerFlavor.MySql, new(8, 0, 26), MySql8026),
    ];

    public static ReplicationDialect For(ServerFlavor flavor, ServerVersion version) =>
        Table.LastOrDefault(row => row.Flavor == flavor && row.Minimum <= version).Dialect
        ?? throw new NotSupportedException($"no replication dialect for {Spellings.Flavor.Of(flavor)} {version}");

    /// <summary>Parses a server's @@version ("10.11.19-MariaDB-0+deb12u1", "8.0.36") into flavour and version.</summary>
    public static (ServerFlavor Flavor, ServerVersion Version) Identify(string versionText)
    {
        var flavor = versionText.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? ServerFlavor.MariaDb : ServerFlavor.MySql;
        var numeric = new string(versionText.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()).TrimEnd('.');
        return (flavor, ServerVersion.Parse(numeric));
    }
}
