using MySqlConnector;

namespace HaInfra.Operations.Sql;

/// <summary>
/// Maps driver exceptions to <see cref="SqlOperationException"/> by <see cref="MySqlErrorCode"/>. MySqlConnector
/// reports every server it cannot reach (refused, no socket, timed out) as UnableToConnectToHost (1042), and a
/// connection lost mid-statement as an I/O failure inside a MySqlException; both become our client-side numbers.
/// </summary>
internal static class SqlErrors
{
    public static SqlOperationException Map(string server, Exception exception, string? statement)
    {
        var mysql = exception as MySqlException ?? exception.InnerException as MySqlException;
        var code = mysql?.ErrorCode ?? MySqlErrorCode.None;
        var number = mysql?.Number ?? 0;
        var error = Enum.IsDefined(typeof(SqlError), number) ? (SqlError)number : SqlError.Unknown;
        if (statement is null && Chain(exception).OfType<System.Security.Authentication.AuthenticationException>().FirstOrDefault() is { } tls)
        {
            // The driver says only "SSL Authentication Error": say what it means for an operator.
            return new SqlOperationException(server, SqlError.TlsFailed, (int)SqlError.TlsFailed,
                $"TLS failed: the server's certificate is not signed by the CA this connection trusts (the stack's CA), or TLS could not be negotiated ({Chain(tls).Last().Message}) [{SqlError.TlsFailed}]",
                null, exception);
        }

        if (code == MySqlErrorCode.UnableToConnectToHost)
        {
            error = statement is null ? SqlError.CantConnectTcp : SqlError.LostConnection;
        }
        else if (error == SqlError.Unknown && IsUnreachable(exception))
        {
            error = statement is null ? SqlError.CantConnectTcp : SqlError.LostConnection;
        }
        else if (code == MySqlErrorCode.CommandTimeoutExpired)
        {
            error = SqlError.CommandTimeout;
        }
        else if (statement is null && mysql is { Number: 0, ErrorCode: MySqlErrorCode.None })
        {
            // A unix socket that does not exist: MySqlConnector says so in words only, with no code.
            error = SqlError.CantConnectSocket;
        }

        var message = error == SqlError.Unknown ? exception.Message : $"{exception.Message} [{error}]";
        return new SqlOperationException(server, error, number, message, statement, exception);
    }

    /// <summary>The exception and its inner exceptions, outermost first.</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static bool IsUnreachable(Exception exception) => Chain(exception).Any(e =>
        e is System.Net.Sockets.SocketException or IOException or EndOfStreamException
        || e is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost });
}
