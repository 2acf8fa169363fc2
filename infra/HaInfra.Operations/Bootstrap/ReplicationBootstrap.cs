using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Post-deploy replication bootstrap, safe to repeat. In order: connect and probe every server; decide each
/// replica's action (refusing unsafe ones before anything is written); replication account on every server;
/// semi-sync on the primary; point and start replicas; verify with a canary. It writes nothing else.
/// </summary>
public sealed class ReplicationBootstrap
{
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;

    public ReplicationBootstrap(ISqlConnector connector, IStepLog log)
    {
        _connector = connector;
        _log = log;
    }

    /// <param name="writeCanary">Write a canary even when nothing changed (e.g. after restarting servers).</param>
    public async Task<BootstrapResult> RunAsync(BootstrapRequest request, bool writeCanary, CancellationToken ct = default)
    {
        var topology = request.Topology;
        if (topology.Flavor != ServerFlavor.MariaDb)
        {
            throw new OperationFailedException(
                $"stack '{topology.Stack}' runs MySQL; the bootstrap drives MariaDB GTID replication only so far.",
                "use flavor: mariadb, or set up MySQL replication by hand (the rendered my.cnf and the SQL forms support it).");
        }

        var clock = Stopwatch.StartNew();
        await using var servers = await ServerSet.ConnectAsync(_connector, request.Admin, ct);
        var terms = new Dictionary<string, TermRecord?>(StringComparer.Ordinal);
        foreach (var host in topology.Hosts)
        {
            terms[host.Name] = await TermTable.LatestAsync(servers[host.Name], ct);
        }

        // The live primary comes from the recorded terms, never from the config order: a stack that failed over
        // keeps its new primary, and the old one is treated as the replica it now is.
        var decision = LivePrimary.Decide(topology, request.StoredTerm, terms);
        topology = topology.WithPrimary(decision.Primary.Name);
        foreach (var note in decision.Notes)
        {
            _log.Step("term", note);
        }

        // A stopped ring channel first: writes that landed on the passive meanwhile reach the active, not the errant check.
        if (ActivePassivePair.PartnerOf(topology, topology.Primary.Name) is { } stopped)
        {
            var at = request.ReplicationAddresses[stopped.Name];
            var ring = new ReplicationSource(at.Host, at.Port, request.Account.User, request.Account.Password, request.TlsCaFile);
            if (await PairRing.ResumeAsync(servers[topology.Primary.Name], servers[stopped.Name], stopped.Name, ring, ct) is { } resumed)
            {
                _log.Step("ring", resumed);
            }
        }

        var snapshots = (await ServerProbe.ReadTopologyAsync(topology, h => Task.FromResult<ISqlClient?>(servers[h]), ct))
            .ToDictionary(s => s.Key, s => s.Value!, StringComparer.Ordinal);
        CheckIdentities(topology, snapshots);

        var primary = topology.Primary;
        var replicas = topology.Replicas.ToList();
        var dialect = ServerDialects.For(snapshots[primary.Name].Flavor, snapshots[primary.Name].Version);
        var address = request.ReplicationAddresses[primary.Name];
        var source = new ReplicationSource(address.Host, address.Port, request.Account.User, request.Account.Password, request.TlsCaFile);
        var actions = replicas.ToDictionary(
            r => r.Name, r => StartPositionPolicy.Decide(snapshots[r.Name], snapshots[primary.Name], source), StringComparer.Ordinal);
        var refusals = actions.Values.OfType<ReplicaAction.Refuse>().Select(r => (r.Why, r.Fix)).ToList();
        if (refusals.Count > 0)
        {
            throw new OperationFailedException(refusals);
        }

        var changed = false;
        foreach (var host in topology.Hosts)
        {
            changed |= await ReplicationAccountSetup.EnsureAsync(servers[host.Name], request.Account, topology.Tls, _log, ct);
            if (request.ArchiveAccount is { } archive)
            {
                changed |= await ReplicationAccountSetup.EnsureAsync(servers[host.Name], archive, topology.Tls, _log, ct);
                changed |= await ArchiveRotation.EnsureAsync(servers[host.Name], archive, _log, ct);
            }
        }

        // The term row first, while the semi-sync source is still off (every server starts with it off): written after
        // it, with no replica connected yet, the commit waited out the whole semi-sync timeout (2 s of a 3 s local up).
        // The row replicates when the replicas start. (The admin account may write while the server is read-only.)
        var (term, newTerm) = await EnsureTermAsync(servers[primary.Name], snapshots[primary.Name], decision, terms[primary.Name], ct);
        changed |= newTerm;
        var passive = ActivePassivePair.PartnerOf(topology, primary.Name);
        changed |= await DetachStrayChannelAsync(servers[primary.Name], snapshots[primary.Name], passive, dialect, ct);
        changed |= await PrimaryRole.EnsureAsync(servers[primary.Name], snapshots[primary.Name], topology.PrimaryWaitsForSemiSync, dialect, _log, ct);
        foreach (var replica in replicas)
        {
            var semiSync = topology.SiteOf(replica).Mode == ReplicationMode.SemiSync;
            changed |= await ReplicaSetup.ApplyAsync(
                servers[replica.Name], snapshots[replica.Name], actions[replica.Name], source, snapshots[primary.Name].BinlogState, semiSync, dialect, primary.Name, _log, ct);
        }

        // An active-passive pair: the active also replicates from the passive (the ring), so a write that lands on the
        // passive by mistake reaches the active instead of diverging.
        if (passive is not null)
        {
            var at = request.ReplicationAddresses[passive.Name];
            var ring = new ReplicationSource(at.Host, at.Port, request.Account.User, request.Account.Password, request.TlsCaFile);
            changed |= await PairRing.EnsureAsync(servers[primary.Name], servers[passive.Name], passive.Name, ring, dialect, _log, ct);
        }

        var verifier = new ReplicationVerifier(servers, dialect, clock, request.Deadline, _log);
        var replicaNames = replicas.Select(r => r.Name).ToList();
        await verifier.WaitRunningAsync(passive is null ? replicaNames : [.. replicaNames, primary.Name], ct);
        var semiSyncReplicas = replicas.Count(r => topology.SiteOf(r).Mode == ReplicationMode.SemiSync);
        if (semiSyncReplicas > 0)
        {
            await verifier.WaitSemiSyncClientsAsync(primary.Name, semiSyncReplicas, ct);
        }

        string gtid;
        if (changed || writeCanary)
        {
            gtid = await verifier.CanaryAsync(primary.Name, replicaNames, ct);
        }
        else
        {
            gtid = await verifier.CaughtUpAsync(primary.Name, replicaNames, ct);
            _log.Step("verify", $"no changes; every replica has applied {primary.Name}'s '{gtid}'");
        }

        return new BootstrapResult(changed, gtid, replicaNames, term);
    }

    /// <summary>
    /// The term row on the primary: term 1 for a stack that never recorded one, or the stored term when the primary's
    /// table lacks it (a term store ahead of the servers). Returns the term in force and whether a row was written.
    /// </summary>
    private async Task<(TermRecord Term, bool Written)> EnsureTermAsync(
        ISqlClient primary, ServerSnapshot snapshot, PrimaryDecision decision, TermRecord? onPrimary, CancellationToken ct)
    {
        var term = decision.Term ?? new TermRecord(1, snapshot.Name, snapshot.ServerId, TermRecord.Bootstrap, null, snapshot.BinlogState.ToString(), DateTimeOffset.UtcNow);
        if (onPrimary is not null && onPrimary.Term >= term.Term)
        {
            return (term, false);
        }

        await TermTable.WriteAsync(primary, term, ct);
        _log.Step("term", $"{term} recorded on {snapshot.Name} (replicated to every server)");
        return (term, true);
    }

    /// <summary>
    /// The live primary replicates from nothing, but for its active-passive partner (the ring, set up below). A channel
    /// found on it was left by an interrupted role change: a switchover killed after its repoint step made the old
    /// primary a replica of the candidate, which never took the term. The primary holds everything that channel could
    /// bring (the candidate was read-only and had caught up with it), so the channel is removed, and said.
    /// </summary>
    private async Task<bool> DetachStrayChannelAsync(ISqlClient primary, ServerSnapshot snapshot, Host? passive, ReplicationDialect dialect, CancellationToken ct)
    {
        if (passive is not null || snapshot.Channel is not { } stray)
        {
            return false;
        }

        await ServerRoles.DetachFromSourceAsync(primary, dialect, hadChannel: true, ct);
        _log.Step("primary", $"{snapshot.Name}: it replicated from {stray.SourceHost}:{stray.SourcePort} (left by an interrupted role change); that channel removed");
        return true;
    }

    private static void CheckIdentities(Topology topology, Dictionary<string, ServerSnapshot> snapshots)
    {
        var problems = new List<(string, string)>();
        foreach (var host in topology.Hosts)
        {
            var snapshot = snapshots[host.Name];
            if (snapshot.ServerId != host.ServerId)
            {
                problems.Add(($"{host.Name} runs with server_id {snapshot.ServerId}, but the stack gives it {host.ServerId}.",
                    $"restart {host.Name} with its rendered my.cnf (./hainfra render), so ids are unique and stable."));
            }

            if (snapshot.Flavor != topology.Flavor || snapshot.Version.Series != topology.Version.Series)
            {
                problems.Add(($"{host.Name} runs {Spellings.Flavor.Of(snapshot.Flavor)} {snapshot.Version}, but the stack says {Spellings.Flavor.Of(topology.Flavor)} {topology.Version}.",
                    "install the stack's server version on the host, or change hainfra:version."));
            }
        }

        if (problems.Count > 0)
        {
            throw new OperationFailedException(problems);
        }
    }
}
