namespace HaInfra.Operations.Endpoint;

/// <summary>
/// The address applications write to, owned by the role changes: it sends writes to one server at most. Locally an
/// HAProxy front port; in the cloud a private DNS record the operation updates.
/// </summary>
public interface IWriterEndpoint
{
    string Describe { get; }

    /// <summary>Sends no more writes to <paramref name="host"/> and cuts the sessions it carries there (a fence).</summary>
    Task DetachAsync(string host, CancellationToken ct);

    /// <summary>Sends every write to <paramref name="host"/> and to no other server.</summary>
    Task RouteWritesToAsync(string host, long term, CancellationToken ct);

    /// <summary>The server that receives writes now; null when none does.</summary>
    Task<string?> WriterAsync(CancellationToken ct);
}
