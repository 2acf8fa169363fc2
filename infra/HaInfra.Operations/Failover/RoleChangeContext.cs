using HaInfra.Model;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Endpoint;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// Everything a role change needs to reach a realized topology, whatever realized it: admin endpoints, the
/// addresses replicas use, the replication account, the term store, the writer endpoint and the fence.
/// </summary>
/// <param name="Topology">The stack as configured; role changes find the live primary from the terms.</param>
/// <param name="Fence">Takes a host that stopped answering out of play for good (locally: kills its process); null when
/// the environment has none.</param>
public sealed record RoleChangeContext(
    Topology Topology,
    IReadOnlyDictionary<string, SqlEndpoint> Admin,
    IReadOnlyDictionary<string, ServerAddress> ReplicationAddresses,
    ReplicationAccount Account,
    string? TlsCaFile,
    ITermStore Terms,
    IWriterEndpoint Endpoint,
    ISqlConnector Connector,
    IStepLog Log,
    IHostFence? Fence = null)
{
    public ReplicationSource SourceFor(string host)
    {
        var address = ReplicationAddresses[host];
        return new ReplicationSource(address.Host, address.Port, Account.User, Account.Password, TlsCaFile);
    }
}

/// <summary>Takes an unresponsive old primary out of play: locally by killing its process, in a cloud by stopping the instance.</summary>
public interface IHostFence
{
    /// <summary>Returns what was done, for the step log.</summary>
    Task<string> FenceAsync(string host, CancellationToken ct);
}
