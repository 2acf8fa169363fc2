using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>Open admin connections to every host of a topology, closed together.</summary>
public sealed class ServerSet : IAsyncDisposable
{
    private readonly Dictionary<string, ISqlClient> _clients;

    private ServerSet(Dictionary<string, ISqlClient> clients) => _clients = clients;

    public ISqlClient this[string host] => _clients[host];

    public bool Contains(string host) => _clients.ContainsKey(host);

    public static async Task<ServerSet> ConnectAsync(ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var attempts = endpoints.ToDictionary(e => e.Key, e => connector.ConnectAsync(e.Value, cancellationToken));
        try
        {
            await Task.WhenAll(attempts.Values);
        }
        catch (SqlOperationException)
        {
            var failed = attempts.Where(a => a.Value.IsFaulted).Select(a => $"{endpoints[a.Key]}: {a.Value.Exception!.InnerException!.Message}").ToList();
            foreach (var ok in attempts.Values.Where(t => t.IsCompletedSuccessfully))
            {
                await ok.Result.DisposeAsync();
            }

            throw new OperationFailedException(
                $"cannot connect to {failed.Count} of {endpoints.Count} servers:\n    " + string.Join("\n    ", failed),
                "start the servers (local: ./hainfra local up) and check the endpoints and admin credentials.");
        }

        return new ServerSet(attempts.ToDictionary(a => a.Key, a => a.Value.Result));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            await client.DisposeAsync();
        }
    }
}
