using System.Diagnostics;
using HaInfra.Model;
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
            }
        }

        changed |= await EnsurePrimarySemiSyncAsync(servers[primary.Name], snapshots[primary.Name], topology.PrimaryWaitsForSemiSync, dialect, ct);
        foreach (var replica in replicas)
        {
            var semiSync = topology.SiteOf(replica).Mode == ReplicationMode.SemiSync;
            changed |= await ReplicaSetup.ApplyAsync(
                servers[replica.Name], snapshots[replica.Name], actions[replica.Name], source, semiSync, dialect, primary.Name, _log, ct);
        }

        var verifier = new ReplicationVerifier(servers, dialect, clock, request.Deadline, _log);
        var replicaNames = replicas.Select(r => r.Name).ToList();
        await verifier.WaitRunningAsync(replicaNames, ct);
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

        return new BootstrapResult(changed, gtid, replicaNames);
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

    private async Task<bool> EnsurePrimarySemiSyncAsync(ISqlClient client, ServerSnapshot snapshot, bool wanted, ReplicationDialect dialect, CancellationToken ct)
    {
        if (snapshot.ReadOnly)
        {
            _log.Warn($"{snapshot.Name} is the primary but read_only is ON; applications cannot write to it. Left as is.");
        }

        if (snapshot.SemiSync.SourceEnabled == wanted)
        {
            return false;
        }

        await client.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = {(wanted ? "ON" : "OFF")}", ct);
        _log.Step("primary", $"{snapshot.Name}: semi-sync source {(wanted ? "enabled" : "disabled")}");
        return true;
    }
}
