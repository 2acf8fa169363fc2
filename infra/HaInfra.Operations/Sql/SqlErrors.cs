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
