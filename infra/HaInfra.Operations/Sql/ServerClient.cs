using System.Data.Common;
using MySqlConnector;

namespace HaInfra.Operations.Sql;

/// <summary>
/// ISqlClient over MySqlConnector: truly asynchronous, so probes of several servers run at once and a cancelled
/// or timed-out call returns when asked (the failover monitor depends on both).
/// </summary>
public sealed class ServerClient : ISqlClient
{
    /// <summary>Long enough for a seed's checksums or a MASTER_GTID_WAIT; callers bound shorter work with a token.</summary>
    private const int CommandTimeoutSeconds = 120;

    private readonly MySqlConnection _connection;

    private ServerClient(string server, MySqlConnection connection)
    {
        Server = server;
        _connection = connection;
    }

    public string Server { get; }

    public static async Task<ISqlClient> OpenAsync(SqlEndpoint endpoint, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(ConnectionString(endpoint));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new ServerClient(endpoint.Name, connection);
        }
        catch (Exception e) when (IsDriverFailure(e))
        {
            await connection.DisposeAsync();
            throw SqlErrors.Map(endpoint.Name, e, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken = default)
    {
        await using var command = Command(statement);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (IsDriverFailure(e))
        {
            throw SqlErrors.Map(Server, e, statement.Text);
        }
    }

    public async Task<IReadOnlyList<SqlRow>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken = default)
    {
        await using var command = Command(statement);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<SqlRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    values[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(new SqlRow(values));
            }

            return rows;
        }
        catch (Exception e) when (IsDriverFailure(e))
        {
            throw SqlErrors.Map(Server, e, statement.Text);
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    /// <summary>What the driver throws for a server or network failure (a killed session surfaces as a raw SocketException).</summary>
    private static bool IsDriverFailure(Exception e) =>
        e is DbException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException;

    private MySqlCommand Command(SqlStatement statement)
    {
        var command = new MySqlCommand(statement.Text, _connection) { CommandTimeout = CommandTimeoutSeconds };
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static string ConnectionString(SqlEndpoint endpoint)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            UserID = endpoint.User,
            Pooling = false,
            ConnectionTimeout = 10,
            AllowUserVariables = true,
        };
        if (endpoint.Socket is not null)
        {
            builder.Server = endpoint.Socket;
            builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
            builder.SslMode = MySqlSslMode.None;
        }
        else
        {
            builder.Server = endpoint.Host;
            builder.Port = (uint)endpoint.Port;
            if (endpoint.CaFile is not null)
            {
                // The server's certificate must chain to the stack's own CA: a man in the middle cannot pose as a host.
                builder.SslMode = MySqlSslMode.VerifyCA;
                builder.SslCa = endpoint.CaFile;
            }
            else
            {
                builder.SslMode = endpoint.RequireTls ? MySqlSslMode.Required : MySqlSslMode.Preferred;
            }
        }

        if (endpoint.Password is not null)
        {
            builder.Password = endpoint.Password.Reveal();
        }

        return builder.ConnectionString;
    }
}

/// <summary>Opens real connections.</summary>
public sealed class ServerConnector : ISqlConnector
{
    public Task<ISqlClient> ConnectAsync(SqlEndpoint endpoint, CancellationToken cancellationToken = default) =>
        ServerClient.OpenAsync(endpoint, cancellationToken);
}
