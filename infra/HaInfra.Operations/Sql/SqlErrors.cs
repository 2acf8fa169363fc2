using MySql.Data.MySqlClient;

namespace HaInfra.Operations.Sql;

/// <summary>
/// Maps driver exceptions to <see cref="SqlOperationException"/> by error number. MySql.Data reports a server it cannot
/// reach as 1042 (or 0, with the socket error inside), so connection failures are recognised by the inner exception.
/// </summary>
internal static class SqlErrors
{
    private const int UnableToConnect = 1042;

    public static SqlOperationException Map(string server, Exception exception, string? statement)
    {
        var mysql = exception as MySqlException ?? exception.InnerException as MySqlException;
        var number = mysql?.Number ?? 0;
        var error = Enum.IsDefined(typeof(SqlError), number) ? (SqlError)number : SqlError.Unknown;
        if (error == SqlError.Unknown && IsUnreachable(exception, number))
        {
            error = statement is null ? SqlError.CantConnectSocket : SqlError.LostConnection;
        }

        if (error == SqlError.Unknown && mysql?.InnerException is MySqlException { Number: (int)SqlError.AccessDenied })
        {
            error = SqlError.AccessDenied;
        }

        var message = error == SqlError.Unknown ? exception.Message : $"{exception.Message} [{error}]";
        return new SqlOperationException(server, error, number, message, statement, exception);
    }

    private static bool IsUnreachable(Exception exception, int number)
    {
        if (number == UnableToConnect)
        {
            return true;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException or IOException or EndOfStreamException)
            {
                return true;
            }
        }

        return false;
    }
}
