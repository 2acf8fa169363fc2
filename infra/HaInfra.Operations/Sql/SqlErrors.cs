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
        if (statement is null && Find<System.Security.Authentication.AuthenticationException>(exception) is { } tls)
        {
            // The driver says only "SSL Authentication Error": say what it means for an operator.
            return new SqlOperationException(server, SqlError.TlsFailed, (int)SqlError.TlsFailed,
                $"TLS failed: the server's certificate is not signed by the CA this connection trusts (the stack's CA), or TLS could not be negotiated ({Innermost(tls).Message}) [{SqlError.TlsFailed}]",
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

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException or IOException or EndOfStreamException
                || e is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost })
            {
                return true;
            }
        }

        return false;
    }
}
