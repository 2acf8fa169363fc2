using System.Data.Common;
using MySql.Data.MySqlClient;

namespace HaInfra.Operations.Sql;

/// <summary>
/// ISqlClient over MySql.Data 8.0.16. That driver predates MariaDB's utf8mb3 name and newer collation ids,
/// so every connection first pins utf8mb4 with a collation it knows (ARCHITECTURE.md §6).
/// </summary>
public sealed class MySqlDataClient : ISqlClient
{
    private const string PinCharset = "SET NAMES utf8mb4 COLLATE utf8mb4_general_ci";

    private readonly MySqlConnection _connection;

    private MySqlDataClient(string server, MySqlConnection connection)
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
            var client = new MySqlDataClient(endpoint.Name, connection);
            await client.ExecuteAsync(PinCharset, cancellationToken);
            return client;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            await connection.DisposeAsync();
            throw SqlErrors.Map(endpoint.Name, e, null);
        }
    }

    public async Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken = default)
    {
        await using var command = Command(statement);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
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
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            throw SqlErrors.Map(Server, e, statement.Text);
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private MySqlCommand Command(SqlStatement statement)
    {
        var command = new MySqlCommand(statement.Text, _connection) { CommandTimeout = 120 };
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
            builder.SslMode = endpoint.RequireTls ? MySqlSslMode.Required : MySqlSslMode.Preferred;
        }

        if (endpoint.Password is not null)
        {
            builder.Password = endpoint.Password.Reveal();
        }

        return builder.ConnectionString;
    }
}

/// <summary>Opens real connections.</summary>
public sealed class MySqlDataConnector : ISqlConnector
{
    public Task<ISqlClient> ConnectAsync(SqlEndpoint endpoint, CancellationToken cancellationToken = default) =>
        MySqlDataClient.OpenAsync(endpoint, cancellationToken);
}
