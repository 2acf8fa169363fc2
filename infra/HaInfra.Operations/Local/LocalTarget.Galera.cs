using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>local up of a method: galera stack: the cluster is started node by node, then the shared bootstrap links the DR site.</summary>
public sealed partial class LocalTarget
{
    private bool IsGalera => GaleraCluster.Applies(_topology);

    /// <summary>Switchover and failover promote a replica; a Galera cluster has none to promote (every node is writable).</summary>
    private void RefuseRoleChangeOfGalera(string verb)
    {
        if (IsGalera)
        {
            throw new OperationFailedException(
                $"local {verb} does not apply to method: galera: every node is writable, and the writer endpoint moves to another node by itself when its node dies.",
                "to take the writer node out, stop it (local up brings it back, by IST); to point the DR replica at another node, see README 'Replication methods: Galera'.");
        }
    }

    /// <summary>The PID of the stack's garbd while it runs (stacks with an arbitrator).</summary>
    public int? ArbitratorPid => LocalState.Load(Paths) is { } state ? Arbitrator(state)?.RunningPid : null;

    /// <summary>The stack's garbd, when it declares an arbitrator; null otherwise.</summary>
    internal LocalArbitrator? Arbitrator(LocalState state) =>
        LocalArbitrator.Applies(_topology) ? new LocalArbitrator(_topology, state, Paths, Network(state).AddressOf, _log) : null;

    private async Task<Realized> RealizeGaleraAsync(
        MariaDbBinaries binaries, LocalState state, Dictionary<string, LocalServer> servers, Secret password, List<LocalServer> fresh, List<LocalServer> existing,
        SeedOptions seedOptions, CancellationToken ct)
    {
        if (_topology.Replication.Arbitrator is { } declared && _topology.Local.SiteNamespaces)
        {
            throw new OperationFailedException(
                $"the stack declares a Galera arbitrator ({declared}) and site namespaces; the local garbd listens on 127.0.0.1, which the nodes in their namespaces cannot reach.",
                "set hainfra:local.siteNamespaces: false for this stack, or leave the arbitrator out and give the cluster an odd number of nodes.");
        }

        var nodes = GaleraCluster.Nodes(_topology).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var others = servers.Values.Where(s => !nodes.Contains(s.Name)).ToList();
        var seeds = new List<(SeedResult Result, SqlEndpoint Donor)>();
        if (existing.Count == 0)
        {
            await InitializeAsync(fresh, ct);
        }
        else if (fresh.Where(s => nodes.Contains(s.Name)).ToList() is { Count: > 0 } newNodes)
        {
            // A new node needs only system tables to start: it joins by SST, which replaces its datadir with a donor's copy.
            await InitializeAsync(newNodes, ct);
        }

        await Network(state).EnsureAsync(ct);
        var arbitrator = Arbitrator(state);
        if (arbitrator is not null && nodes.All(n => !servers[n].IsRunning))
        {
            // A cluster started from nothing is a new membership: a garbd left from the old one would not join it.
            await arbitrator.StopAsync(ct);
        }

        var started = await new LocalGaleraStart(_topology, servers, binaries, _connector, _log).StartAsync(ct);
        if (arbitrator is not null)
        {
            await arbitrator.EnsureAsync(_connector, servers[GaleraCluster.Nodes(_topology)[0].Name].Admin, ct);
        }

        if (existing.Count == 0)
        {
            started += await StartStoppedAsync(others, fresh, state, ct);
        }
        else
        {
            started += await StartStoppedAsync(others.Except(fresh), [], state, ct);
            foreach (var target in others.Intersect(fresh))
            {
                seeds.Add(await Seeding().SeedAsync(target, seedOptions, ct));
            }
        }

        return new Realized(state, password, started, servers.Count, seeds);
    }

    /// <summary>
    /// The shared bootstrap sees the writer node for the whole cluster (see <see cref="GaleraBootstrapView"/>), with the
    /// hosts outside the cluster its binlog still serves. One it no longer serves (the writer node rejoined by SST and
    /// started a fresh binlog) is left out here and follows another node afterwards (<see cref="GaleraDrFollow"/>).
    /// </summary>
    private async Task<(BootstrapRequest Request, List<string> Unserved)> GaleraBootstrapRequestAsync(BootstrapRequest request, CancellationToken ct)
    {
        var writer = Live().Primary.Name;
        await using var clients = await ServerSet.ConnectAsync(_connector, request.Admin, ct);
        var source = await Replication.ServerProbe.ReadAsync(clients[writer], ct);
        var unserved = new List<string>();
        foreach (var host in _topology.Hosts.Where(h => !GaleraCluster.IsNode(_topology, h)))
        {
            var replica = await Replication.ServerProbe.ReadAsync(clients[host.Name], ct);
            if (!GaleraDrFollow.Serves(source, replica))
            {
                _log.Step("galera", $"{writer}'s binlog starts at '{source.OldestBinlogStart}', after {host.Name}'s position '{replica.DataPosition}': {host.Name} follows another node");
                unserved.Add(host.Name);
            }
        }

        var view = GaleraBootstrapView.Of(request.Topology, writer);
        view = view with { Sites = [.. view.Sites.Select(s => s with { Hosts = [.. s.Hosts.Where(h => !unserved.Contains(h.Name))] }).Where(s => s.Hosts.Count > 0)] };
        return (request with { Topology = view }, unserved);
    }

    /// <summary>After the bootstrap: the replication account on every node (so the DR replica can follow any), and the canary on every node.</summary>
    private async Task AfterGaleraBootstrapAsync(BootstrapRequest request, List<string> unserved, CancellationToken ct)
    {
        if (unserved.Count > 0)
        {
            await GaleraDrFollow.RunAsync(_topology, Live().Primary.Name, _connector, request.Admin, request.ReplicationAddresses, request.Account, request.TlsCaFile, _log, ct);
        }

        var nodes = GaleraCluster.Nodes(_topology).Select(n => n.Name).ToList();
        await using var clients = await ServerSet.ConnectAsync(_connector, nodes.ToDictionary(n => n, n => request.Admin[n], StringComparer.Ordinal), ct);
        foreach (var node in nodes)
        {
            await ReplicationAccountSetup.EnsureAsync(clients[node], request.Account, _topology.Tls, _log, ct);
        }

        await GaleraVerifier.VerifyAsync(nodes.ToDictionary(n => n, n => clients[n], StringComparer.Ordinal), Live().Primary.Name, _log, ct);
    }

    /// <summary>
    /// The DR replica (every host outside the cluster) follows a Synced node when its source node is gone, resuming by GTID;
    /// returns the hosts it repointed. local up later points it back at the writer node once that node is back.
    /// </summary>
    public async Task<IReadOnlyList<string>> FollowGaleraNodeAsync(CancellationToken ct = default)
    {
        if (!IsGalera)
        {
            throw new OperationFailedException($"stack '{_topology.Stack}' is not a Galera stack; its replicas follow the live primary.", "use local switchover or local failover to move the primary.");
        }

        var state = LocalState.Load(Paths)
            ?? throw new OperationFailedException($"stack '{_topology.Stack}' is not realized here ({Paths.Root}).", $"run ./hainfra local up --stack {_topology.Stack} first.");
        var request = BootstrapRequestFor(state, ReplicationPassword.LoadOrCreate(Paths));
        return await GaleraDrFollow.RunAsync(_topology, Live().Primary.Name, _connector, request.Admin, request.ReplicationAddresses, request.Account, request.TlsCaFile, _log, ct);
    }
}
