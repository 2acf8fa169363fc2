using HaInfra.Model;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Everything the bootstrap needs to reach a realized topology, whatever realized it: the local target
/// (sockets on 127.0.0.1) or a cloud stack (private DNS names from the stack's outputs).
/// </summary>
public sealed record BootstrapRequest(
    Topology Topology,
    IReadOnlyDictionary<string, SqlEndpoint> Admin,
    IReadOnlyDictionary<string, ServerAddress> ReplicationAddresses,
    ReplicationAccount Account,
    string? TlsCaFile,
    TimeSpan Deadline);

/// <summary>The address other servers use to replicate from a host.</summary>
public sealed record ServerAddress(string Host, int Port);

/// <summary>The least-privilege account replicas use. <paramref name="HostPattern"/> limits where it may connect from.</summary>
public sealed record ReplicationAccount(string User, string HostPattern, Secret Password)
{
    public const string DefaultUser = "hainfra_repl";
}

public sealed record BootstrapResult(bool Changed, string CanaryGtid, IReadOnlyList<string> Verified);
