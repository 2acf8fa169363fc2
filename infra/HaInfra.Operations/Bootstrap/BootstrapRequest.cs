using HaInfra.Model;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Everything the bootstrap needs to reach a realized topology, whatever realized it: the local target
/// (sockets on 127.0.0.1) or a cloud stack (private DNS names from the stack's outputs).
/// </summary>
/// <param name="Topology">The stack as configured; the bootstrap works on the live primary it finds from the terms.</param>
/// <param name="ArchiveAccount">The binlog archive's account (mysqlbinlog on the backup host), when the stack archives binlogs.</param>
/// <param name="StoredTerm">The term store's current term, when the caller has a store (the local target); the servers' own
/// hainfra.term rows are read in any case.</param>
public sealed record BootstrapRequest(
    Topology Topology,
    IReadOnlyDictionary<string, SqlEndpoint> Admin,
    IReadOnlyDictionary<string, ServerAddress> ReplicationAddresses,
    ReplicationAccount Account,
    string? TlsCaFile,
    TimeSpan Deadline,
    ReplicationAccount? ArchiveAccount = null,
    Failover.TermRecord? StoredTerm = null);

/// <summary>The address other servers use to replicate from a host.</summary>
public sealed record ServerAddress(string Host, int Port);

/// <summary>
/// A least-privilege account that reads the binlog: replicas use one (REPLICATION SLAVE), the binlog archive
/// another (REPLICATION SLAVE to stream, BINLOG MONITOR to list binlogs). <paramref name="HostPattern"/> limits
/// where it may connect from.
/// </summary>
public sealed record ReplicationAccount(string User, string HostPattern, Secret Password, string Privileges = "REPLICATION SLAVE")
{
    public const string DefaultUser = "hainfra_repl";
    public const string ArchiveUser = "hainfra_binlog";
    public const string ArchivePrivileges = "REPLICATION SLAVE, BINLOG MONITOR";
}

/// <param name="Term">The term in force after the bootstrap (written on the primary if it was new).</param>
public sealed record BootstrapResult(bool Changed, string CanaryGtid, IReadOnlyList<string> Verified, Failover.TermRecord Term);
