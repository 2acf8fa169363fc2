namespace HaInfra.Operations.Sql;

/// <summary>
/// Server and client error numbers the operations react to. Decisions are made on these numbers, never on
/// message text. Client-side numbers (2003, 2013) and the timeout are mapped from MySqlConnector's error codes.
/// </summary>
public enum SqlError
{
    Unknown = 0,
    AccessDenied = 1045,
    UnknownDatabase = 1049,
    UnknownTable = 1146,
    NoSuchGrant = 1141,
    UnknownSystemVariable = 1193,

    /// <summary>SET GLOBAL of a read-only variable: it takes effect only through my.cnf and a restart (ER_INCORRECT_GLOBAL_LOCAL_VAR).</summary>
    ReadOnlyVariable = 1238,

    SlaveNotRunning = 1199,
    SlaveMustStop = 1198,
    CannotUserWithSameName = 1396,
    DuplicateKey = 1062,
    LockWaitTimeout = 1205,

    /// <summary>A deadlock; on Galera also a transaction that lost certification to a conflicting one committed on another node.</summary>
    Deadlock = 1213,
    ReadOnly = 1290,
    QueryInterrupted = 1317,
    ConnectionKilled = 1927,
    GtidStrictOutOfOrder = 1950,
    CantConnectSocket = 2002,
    CantConnectTcp = 2003,
    ServerGone = 2006,
    LostConnection = 2013,

    /// <summary>TLS could not be set up: above all, a server certificate the trusted CA did not sign (CR_SSL_CONNECTION_ERROR).</summary>
    TlsFailed = 2026,

    /// <summary>The client gave up waiting for the statement (MySqlConnector's CommandTimeoutExpired).</summary>
    CommandTimeout = -1,
}

/// <summary>A failed statement or connection, with the server it ran on and the statement text (never parameter values).</summary>
public sealed class SqlOperationException : Exception
{
    public SqlOperationException(string server, SqlError error, int number, string message, string? statement, Exception? inner = null)
        : base($"{server}: {message}{(statement is null ? "" : $" (in: {statement})")}", inner)
    {
        Server = server;
        Error = error;
        Number = number;
        Statement = statement;
    }

    public string Server { get; }

    public SqlError Error { get; }

    public int Number { get; }

    public string? Statement { get; }

    public bool IsConnectionFailure => Error is SqlError.CantConnectSocket or SqlError.CantConnectTcp or SqlError.ServerGone or SqlError.LostConnection
        or SqlError.ConnectionKilled or SqlError.TlsFailed;
}
