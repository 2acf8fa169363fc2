using HaInfra.Operations.Replication;

namespace HaInfra.Operations.Bootstrap;

/// <summary>Turns a stuck replica channel into the thing to check. The server's messages are terse (often just "SSL connection error").</summary>
public static class Diagnosis
{
    public static string ForChannel(ReplicaChannel? channel) => channel switch
    {
        null => "configure the replica (run the bootstrap).",
        { WaitsForDiskSpace: true } => "the replica's disk is full: its IO thread waits to write the relay log; free space on its datadir's filesystem (it resumes within a minute).",
        { LastIoErrno: 1045 } => "the replication password or account host does not match the source's; run the bootstrap again to reset it.",
        { LastIoErrno: 2026 } or { LastIoError: not null } when channel.LastIoError!.Contains("SSL", StringComparison.OrdinalIgnoreCase) =>
            "TLS failed: check that MASTER_SSL_CA is the CA that signed the source's certificate and that the certificate names the address replicas use (subject alternative name).",
        { LastIoErrno: 2003 or 2002 or 2013 } => "the source is unreachable from the replica: check that it runs and listens on that address and port, and the network between them.",
        { LastIoErrno: 1236 } => "the source no longer has the binlogs the replica needs (or the replica is ahead of it): reseed the replica.",
        { LastSqlErrno: 1950 } => "the replica holds transactions of its own (gtid_strict_mode rejected an out-of-order GTID): reseed the replica.",
        { LastSqlErrno: not 0 } => "the replica failed to apply a transaction; its data has drifted from the source: reseed it.",
        _ => "wait for the replica to catch up, or check its error log for why it is slow.",
    };
}
