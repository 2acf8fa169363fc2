using System.Text.RegularExpressions;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Tests;

/// <summary>
/// In-memory MariaDB servers that understand just the statements the bootstrap sends, and record them. For
/// unit tests of ordering and decisions; the same code runs against real servers in the integration tests.
/// </summary>
internal sealed class FakeCluster : ISqlConnector
{
    public Dictionary<string, FakeServer> Servers { get; } = new(StringComparer.Ordinal);

    /// <summary>Every statement in the order servers received it, as "host: text".</summary>
    public List<string> Log { get; } = [];

    /// <summary>Every parameter value sent, to prove secrets travel only as parameters.</summary>
    public List<string> ParameterValues { get; } = [];

    public FakeServer Add(string name, uint serverId, int port)
    {
        var server = new FakeServer(this, name, serverId, port);
        Servers[name] = server;
        return server;
    }

    public IEnumerable<string> Writes => Log.Where(l => !IsRead(l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));

    public Task<ISqlClient> ConnectAsync(SqlEndpoint endpoint, CancellationToken cancellationToken = default) =>
        Task.FromResult<ISqlClient>(new FakeClient(Servers[endpoint.Name]));

    private static bool IsRead(string text) =>
        text.StartsWith("SELECT", StringComparison.Ordinal) || text.StartsWith("SHOW", StringComparison.Ordinal) || text.StartsWith("SET NAMES", StringComparison.Ordinal)
        || text.StartsWith("SET SESSION sql_log_bin", StringComparison.Ordinal);

    private sealed class FakeClient(FakeServer server) : ISqlClient
    {
        public string Server => server.Name;

        public Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken = default)
        {
            server.Handle(statement);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<SqlRow>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken = default) =>
            Task.FromResult(server.Handle(statement));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed partial class FakeServer(FakeCluster cluster, string name, uint serverId, int port)
{
    public string Name { get; } = name;

    public uint ServerId { get; } = serverId;

    public int Port { get; } = port;

    public GtidPosition BinlogState { get; set; } = GtidPosition.Empty;

    public GtidPosition SlavePos { get; set; } = GtidPosition.Empty;

    public GtidPosition OldestBinlogStart { get; set; } = GtidPosition.Empty;

    public int UserTables { get; set; }

    public bool ReadOnly { get; set; }

    public bool SemiSyncSource { get; set; }

    public bool SemiSyncReplica { get; set; }

    public int SemiSyncClients { get; set; }

    public FakeChannel? Channel { get; set; }

    public bool HasAccount { get; set; }

    public string? Canary { get; set; }

    /// <summary>hainfra.term rows; an insert on one server reaches all of them, as replication would carry it.</summary>
    public List<Failover.TermRecord> Terms { get; } = [];

    public List<string> Statements { get; } = [];

    /// <summary>Statements this server fails with a lost connection, as a server dying mid-way would.</summary>
    public Func<string, bool>? FailOn { get; set; }

    public GtidPosition BinlogPos => BinlogState.PerDomain();

    public IReadOnlyList<SqlRow> Handle(SqlStatement statement)
    {
        var text = statement.Text;
        Statements.Add(text);
        cluster.Log.Add($"{Name}: {text}");
        if (FailOn?.Invoke(text) == true)
        {
            throw new SqlOperationException(Name, SqlError.LostConnection, (int)SqlError.LostConnection, "Lost connection (fake)", text);
        }

        cluster.ParameterValues.AddRange(statement.Parameters.Values.Select(v => v?.ToString() ?? ""));
        return text switch
        {
            _ when text.StartsWith("SELECT @@version", StringComparison.Ordinal) => Row(
                ("version", "10.11.19-MariaDB-log"), ("server_id", ServerId), ("read_only", ReadOnly ? 1 : 0),
                ("binlog_pos", BinlogPos.ToString()), ("binlog_state", BinlogState.ToString()),
                ("slave_pos", SlavePos.ToString()), ("current_pos", SlavePos.ToString())),
            _ when text.Contains("TABLE_SCHEMA NOT IN", StringComparison.Ordinal) => Row(("count", UserTables)),
            "SHOW SLAVE STATUS" => Channel is null ? [] : Row(Channel.Columns()),
            _ when text.StartsWith("SHOW GLOBAL VARIABLES", StringComparison.Ordinal) => Rows(
                ("rpl_semi_sync_master_enabled", On(SemiSyncSource)), ("rpl_semi_sync_slave_enabled", On(SemiSyncReplica))),
            _ when text.StartsWith("SHOW GLOBAL STATUS", StringComparison.Ordinal) => Rows(
                ("Rpl_semi_sync_master_status", On(SemiSyncSource)), ("Rpl_semi_sync_master_clients", SemiSyncClients.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Rpl_semi_sync_slave_status", On(SemiSyncReplica && Channel is { Running: true }))),
            "SHOW BINARY LOGS" => Row(("Log_name", "mysql-bin.000001"), ("File_size", 4)),
            _ when text.StartsWith("SELECT BINLOG_GTID_POS", StringComparison.Ordinal) => Row(("pos", OldestBinlogStart.ToString())),
            _ when text.StartsWith("SELECT authentication_string", StringComparison.Ordinal) => HasAccount ? Row(("same_password", 1), ("ssl_type", "ANY")) : [],
            _ when text.StartsWith("CREATE USER", StringComparison.Ordinal) => Do(() => HasAccount = true),
            _ when text.StartsWith("SHOW GRANTS", StringComparison.Ordinal) => HasAccount ? Row(("Grants", "GRANT REPLICATION SLAVE ON *.* TO x")) : [],
            _ when text.StartsWith("SET GLOBAL gtid_slave_pos", StringComparison.Ordinal) => Do(() => SlavePos = GtidPosition.Parse((string)statement.Parameters["pos"]!)),
            "SELECT @@gtid_slave_pos" => Row(("pos", SlavePos.ToString())),
            _ when text.StartsWith("CHANGE MASTER TO", StringComparison.Ordinal) => Do(() => Channel = FakeChannel.From(text)),
            "START SLAVE" => Do(() => Channel!.Running = true),
            "STOP SLAVE" => Do(() => Channel!.Running = false),
            "RESET SLAVE ALL" => Do(() => Channel = null),
            _ when text.StartsWith("SET GLOBAL read_only = ON", StringComparison.Ordinal) => Do(() => ReadOnly = true),
            _ when text.StartsWith("SET GLOBAL read_only = OFF", StringComparison.Ordinal) => Do(() => ReadOnly = false),
            _ when text.Contains("FROM hainfra.term", StringComparison.Ordinal) => [.. Terms.OrderByDescending(t => t.Term).Select(TermRow)],
            _ when text.StartsWith("INSERT INTO hainfra.term", StringComparison.Ordinal) => Do(() => InsertTerm(statement)),
            _ when text.StartsWith("SET GLOBAL rpl_semi_sync_slave_enabled", StringComparison.Ordinal) => Do(() => SemiSyncReplica = text.EndsWith("ON", StringComparison.Ordinal)),
            _ when text.StartsWith("SET GLOBAL rpl_semi_sync_master_enabled", StringComparison.Ordinal) => Do(() => SemiSyncSource = text.EndsWith("ON", StringComparison.Ordinal)),
            _ when text.Contains("TABLE_NAME = 'canary'", StringComparison.Ordinal) => Row(("count", Canary is null ? 0 : 1)),
            _ when text.StartsWith("INSERT INTO hainfra.canary", StringComparison.Ordinal) => Do(() => WriteCanary((string)statement.Parameters["token"]!)),
            "SELECT @@last_gtid" => Row(("gtid", BinlogPos.ToString())),
            "SELECT @@gtid_binlog_pos" => Row(("gtid", BinlogPos.ToString())),
            _ when text.StartsWith("SELECT MASTER_GTID_WAIT", StringComparison.Ordinal) => Row(("r", 0)),
            _ when text.StartsWith("SELECT token FROM", StringComparison.Ordinal) => Row(("token", cluster.Servers.Values.First(s => s.Channel is null).Canary)),
            _ => [],
        };
    }

    private void InsertTerm(SqlStatement statement)
    {
        var p = statement.Parameters;
        var term = new Failover.TermRecord((long)p["term"]!, (string)p["host"]!, (uint)p["id"]!, (string)p["kind"]!, (string?)p["previous"], (string)p["fork"]!,
            new DateTimeOffset((DateTime)p["at"]!));
        foreach (var server in cluster.Servers.Values)
        {
            server.Terms.Add(term);
        }

        NextGtid();
    }

    private static SqlRow TermRow(Failover.TermRecord t) => new(new Dictionary<string, object?>
    {
        ["term"] = t.Term, ["primary_host"] = t.Primary, ["server_id"] = t.ServerId, ["kind"] = t.Kind,
        ["previous_host"] = t.Previous, ["fork_gtid"] = t.ForkGtid, ["at"] = t.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
    });

    private void WriteCanary(string token)
    {
        Canary = token;
        NextGtid();
    }

    private void NextGtid()
    {
        var next = BinlogPos.Gtids.Count == 0 ? 1 : BinlogPos.Gtids[0].Sequence + 1;
        BinlogState = GtidPosition.Of([.. BinlogState.Gtids.Where(g => g.ServerId != ServerId), new Gtid(0, ServerId, next)]);
    }

    private static string On(bool on) => on ? "ON" : "OFF";

    private static List<SqlRow> Do(Action action)
    {
        action();
        return [];
    }

    private static List<SqlRow> Row(params (string Column, object? Value)[] values) =>
        [new SqlRow(values.ToDictionary(v => v.Column, v => v.Value))];

    private static List<SqlRow> Rows(params (string Name, string Value)[] values) =>
        [.. values.Select(v => new SqlRow(new Dictionary<string, object?> { ["Variable_name"] = v.Name, ["Value"] = v.Value }))];
}

internal sealed partial class FakeChannel
{
    public string Host { get; set; } = "";

    public int Port { get; set; }

    public string User { get; set; } = "";

    public bool Running { get; set; }

    public int SqlErrno { get; set; }

    public static FakeChannel From(string changeMaster)
    {
        var match = ChangeMaster().Match(changeMaster);
        return new FakeChannel { Host = match.Groups[1].Value, Port = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), User = match.Groups[3].Value };
    }

    public (string, object?)[] Columns() =>
    [
        ("Master_Host", Host), ("Master_Port", Port), ("Master_User", User),
        ("Slave_IO_Running", Running ? "Yes" : "No"), ("Slave_SQL_Running", Running ? "Yes" : "No"),
        ("Seconds_Behind_Master", Running ? 0 : null), ("Using_Gtid", "Slave_Pos"), ("Master_SSL_Allowed", "Yes"),
        ("Last_IO_Errno", 0), ("Last_IO_Error", ""), ("Last_SQL_Errno", SqlErrno), ("Last_SQL_Error", SqlErrno == 0 ? "" : "boom"),
        ("Gtid_IO_Pos", ""),
    ];

    [GeneratedRegex("MASTER_HOST = '([^']*)', MASTER_PORT = (\\d+), MASTER_USER = '([^']*)'")]
    private static partial Regex ChangeMaster();
}
