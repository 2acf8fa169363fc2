using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Status;

/// <summary>Reads every host's server and judges it against the stack: running, replicating from the primary, semi-sync as its site says.</summary>
public static class StatusReader
{
    /// <summary>How long one server may take to answer the status probe.</summary>
    public static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(5);

    public static async Task<StatusReport> ReadAsync(
        Topology topology, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin,
        IReadOnlyDictionary<string, ServerAddress> addresses, IReadOnlyDictionary<string, int?> pids,
        Failover.TermRecord? term = null, string? initialPrimary = null, CancellationToken ct = default)
    {
        var primaryAddress = addresses[topology.Primary.Name];
        var partner = ActivePassivePair.PartnerOf(topology, topology.Primary.Name);
        var partnerAddress = partner is null ? null : addresses[partner.Name];
        async Task<HostStatus> ReadOneAsync(Host host)
        {
            var address = $"{addresses[host.Name].Host}:{addresses[host.Name].Port}";
            var pid = pids.GetValueOrDefault(host.Name);
            // Each server gets a few seconds: a replica whose disk is full blocks SHOW SLAVE STATUS for as long as its
            // IO thread waits for space (cancelling the query does not free it), and the status must still come back
            // and say so. A probe that does not answer in time is left behind; its connection times out by itself.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var galeraNode = GaleraCluster.IsNode(topology, host);
            var probe = ProbeAsync(connector, admin[host.Name], galeraNode, limit.Token);
            if (await Task.WhenAny(probe, Task.Delay(HostTimeout, ct)) != probe)
            {
                await limit.CancelAsync();
                _ = probe.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return new HostStatus(host, topology.SiteOf(host), address, pid, null, [$"no answer within {HostTimeout.TotalSeconds:0} s"]);
            }

            ServerSnapshot snapshot;
            GaleraNodeStatus? galera;
            try
            {
                (snapshot, galera) = await probe;
            }
            catch (SqlOperationException e)
            {
                return new HostStatus(host, topology.SiteOf(host), address, pid, null, [e.IsConnectionFailure ? "not running" : e.Message]);
            }

            if (galeraNode)
            {
                // A Galera node is judged by the cluster it is in; the writer node also as the DR site's source.
                var own = GaleraHealth.Judge(galera, snapshot, GaleraCluster.Nodes(topology).Count, topology.Replication.Arbitrator is not null);
                List<string> problems = host.Role == HostRole.Primary ? [.. Judge(topology, host, snapshot, primaryAddress, partnerAddress, addresses).Where(p => !own.Contains(p)), .. own] : own;
                return new HostStatus(host, topology.SiteOf(host), address, pid, snapshot, problems.Distinct().ToList()) { Galera = galera };
            }

            return new HostStatus(host, topology.SiteOf(host), address, pid, snapshot, Judge(topology, host, snapshot, primaryAddress, partnerAddress, addresses));
        }

        // The primary is read after the replicas: anything a replica has, the primary had first, so a replica read
        // later under writes cannot look errant.
        var replicas = await Task.WhenAll(topology.Hosts.Where(h => h.Name != topology.Primary.Name).Select(ReadOneAsync));
        var primaryRow = await ReadOneAsync(topology.Primary);
        var rows = topology.Hosts.Select(h => h.Name == primaryRow.Host.Name ? primaryRow : WithErrant(replicas.Single(r => r.Host.Name == h.Name), primaryRow)).ToList();
        if (partner is not null)
        {
            rows = [.. rows.Select(r => r.Host.Name == topology.Primary.Name ? r with { PairRole = "active" } : r.Host.Name == partner.Name ? r with { PairRole = "passive" } : r)];
        }

        var passiveWrites = primaryRow.Snapshot is { } active ? PassiveWrites.Find(topology, active.BinlogState, term) : null;
        return new StatusReport(topology.Stack, rows, term, initialPrimary, passiveWrites);
    }

    private static async Task<(ServerSnapshot, GaleraNodeStatus?)> ProbeAsync(ISqlConnector connector, SqlEndpoint endpoint, bool galera, CancellationToken ct)
    {
        await using var client = await connector.ConnectAsync(endpoint, ct);
        return (await ServerProbe.ReadAsync(client, ct), galera ? await GaleraNodeStatus.ReadAsync(client, ct) : null);
    }

    /// <summary>A replica holding transactions the primary never had (errant GTIDs): never a safe failover candidate.</summary>
    private static HostStatus WithErrant(HostStatus replica, HostStatus primary)
    {
        if (replica.Snapshot is not { } own || primary.Snapshot is not { } source)
        {
            return replica;
        }

        var errant = own.BinlogState.NotIn(source.BinlogState);
        return errant.IsEmpty ? replica : replica with { Problems = [.. replica.Problems, $"errant GTIDs {errant} (transactions the primary never had)"] };
    }

    /// <param name="partner">The passive's address when the primary is the active of an active-passive pair: the one
    /// source the primary replicates from (the ring that carries a misplaced write back instead of letting it diverge).</param>
    /// <summary>The active's channel from the passive: present, pointing at the passive, running.</summary>
    private static IEnumerable<string> PairRingProblems(ReplicaChannel? channel, ServerAddress partner)
    {
        if (channel is null)
        {
            yield return $"the active does not replicate from the passive {partner.Host}:{partner.Port} (a write on the passive would diverge): run local up";
        }
        else if (channel.SourceHost != partner.Host || channel.SourcePort != partner.Port)
        {
            yield return $"the active replicates from {channel.SourceHost}:{channel.SourcePort}, not the passive {partner.Host}:{partner.Port}";
        }
        else if (!channel.Running)
        {
            yield return $"ring from the passive: IO {channel.IoRunning}, SQL {(channel.SqlRunning ? "Yes" : "No")}: {Diagnosis.ForChannel(channel)}";
        }
    }

    private static List<string> Judge(Topology topology, Host host, ServerSnapshot s, ServerAddress primary, ServerAddress? partner,
        IReadOnlyDictionary<string, ServerAddress> addresses)
    {
        var problems = new List<string>();
        if (s.ServerId != host.ServerId)
        {
            problems.Add($"server_id {s.ServerId}, stack says {host.ServerId}");
        }

        if (host.Role == HostRole.Primary)
        {
            if (s.ReadOnly)
            {
                problems.Add("primary is read_only (no writer: run local up, or wait for the monitor)");
            }

            if (partner is not null)
            {
                problems.AddRange(PairRingProblems(s.Channel, partner));
            }
            else if (s.Channel is { } own)
            {
                problems.Add($"the primary replicates from {own.SourceHost}:{own.SourcePort}");
            }

            var semiSyncReplicas = topology.Replicas.Count(r => topology.SiteOf(r).Mode == ReplicationMode.SemiSync);
            if (semiSyncReplicas > 0 && s.SemiSync.SourceClients < semiSyncReplicas)
            {
                problems.Add($"{s.SemiSync.SourceClients} of {semiSyncReplicas} semi-sync replicas connected");
            }

            return problems;
        }

        if (s.Channel is not { } channel)
        {
            problems.Add("replication not configured");
            return problems;
        }

        if (!channel.Running || channel.WaitsForDiskSpace)
        {
            problems.Add($"IO {channel.IoRunning}, SQL {(channel.SqlRunning ? "Yes" : "No")}: {Diagnosis.ForChannel(channel)}");
        }

        // Galera: the DR site may follow any node (every node holds every commit, under the same GTIDs).
        var galeraSource = GaleraCluster.Nodes(topology).Any(n => addresses[n.Name] == new ServerAddress(channel.SourceHost, channel.SourcePort));
        if ((channel.SourceHost != primary.Host || channel.SourcePort != primary.Port) && !galeraSource)
        {
            problems.Add($"replicates from {channel.SourceHost}:{channel.SourcePort}, not the primary {primary.Host}:{primary.Port}");
        }

        if (!s.ReadOnly)
        {
            problems.Add("a second writer: replica is writable (read_only OFF)");
        }

        if (s.SemiSync.SourceEnabled)
        {
            problems.Add("semi-sync source on a replica (its applier waits out the timeout)");
        }

        return problems;
    }
}
