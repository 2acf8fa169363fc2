namespace HaInfra.Operations.Sql;

/// <summary>The one interface all SQL goes through: real servers via MySqlConnector, or a fake in unit tests.</summary>
public interface ISqlClient : IAsyncDisposable
{
    /// <summary>The endpoint's name, for logs and errors.</summary>
    string Server { get; }

    Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SqlRow>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken = default);
}

/// <summary>Opens clients; the seam that lets orchestration run against fakes.</summary>
public interface ISqlConnector
{
    Task<ISqlClient> ConnectAsync(SqlEndpoint endpoint, CancellationToken cancellationToken = default);
}

public static class SqlClientExtensions
{
    public static async Task<SqlRow?> QuerySingleAsync(this ISqlClient client, SqlStatement statement, CancellationToken cancellationToken = default)
    {
        var rows = await client.QueryAsync(statement, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    public static async Task<string?> ScalarAsync(this ISqlClient client, SqlStatement statement, CancellationToken cancellationToken = default)
    {
        var row = await client.QuerySingleAsync(statement, cancellationToken);
        return row is null ? null : row.Text(row.Columns.First());
    }

    /// <summary>Global variables by name, as one map (SHOW GLOBAL VARIABLES WHERE ...).</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> VariablesAsync(this ISqlClient client, string kind, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        var list = string.Join(", ", names.Select(n => $"'{n}'"));
        var rows = await client.QueryAsync($"SHOW GLOBAL {kind} WHERE Variable_name IN ({list})", cancellationToken);
        return rows.ToDictionary(r => r.Text("Variable_name")!.ToLowerInvariant(), r => r.Text("Value"), StringComparer.OrdinalIgnoreCase);
    }
}
