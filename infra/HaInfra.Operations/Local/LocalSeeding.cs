using HaInfra.Model;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>Options for seeding new or rebuilt replicas locally. <paramref name="Runner"/> defaults to running commands here.</summary>
public sealed record SeedOptions(SeedMethod? Method = null, long DiskReserve = ReplicaSeeder.DefaultDiskReserve, IHostRunner? Runner = null);

/// <summary>
/// Seeding on the local target: picks the donor among the running servers, then runs the seed with the local
/// runner. Method, donor choice and GTID handling are the operations' own (Seeding/); this only maps hosts to paths.
/// </summary>
internal sealed class LocalSeeding
{
    private readonly Topology _topology;
    private readonly LocalPaths _paths;
    private readonly ISqlConnector _connector;
    private readonly IStepLog _log;
    private readonly IProgress<SeedProgress>? _progress;

    public LocalSeeding(Topology topology, LocalPaths paths, ISqlConnector connector, IStepLog log, IProgress<SeedProgress>? progress)
    {
        _topology = topology;
        _paths = paths;
        _connector = connector;
        _log = log;
        _progress = progress;
    }

    public async Task<(SeedResult Result, SqlEndpoint Donor)> SeedAsync(LocalServer target, SeedOptions options, CancellationToken ct)
    {
        if (LocalSeedTarget.Unfinished(target.Paths) is { } unfinished)
        {
            _log.Warn($"the previous seed of {target.Name} ({unfinished}) did not finish; its partial datadir is discarded and the seed redone.");
        }

        var snapshots = await ProbeAsync(ct);
        var donor = DonorChoice.Choose(_topology, _topology.Host(target.Name), snapshots);
        var method = options.Method ?? _topology.Replication.SeedMethod;
        _log.Step("donor", $"{donor.Host.Name} for {target.Name} ({Spellings.SeedMethod.Of(method)} seed): {donor.Why}");

        var donorPaths = _paths.Host(donor.Host.Name);
        var source = new SeedSource(
            donor.Host.Name, Endpoint(donor.Host.Name), donorPaths.LocalCnf, donorPaths.Socket, Path.Combine(donorPaths.TmpDir, "seed"));
        var seeder = new ReplicaSeeder(options.Runner ?? new LocalHostRunner(), _connector, _log, _progress) { DiskReserve = options.DiskReserve };
        var result = await seeder.SeedAsync(method, source, new LocalSeedTarget(target), ct);
        return (result, source.Admin);
    }

    public SqlEndpoint Endpoint(string host) => SqlEndpoint.UnixSocket(host, _paths.Host(host).Socket);

    /// <summary>Snapshots of every running server (the primary read last); null for one that does not answer.</summary>
    public async Task<Dictionary<string, ServerSnapshot?>> ProbeAsync(CancellationToken ct)
    {
        var clients = new List<ISqlClient>();
        try
        {
            return await ServerProbe.ReadTopologyAsync(_topology, async host =>
            {
                try
                {
                    var client = await _connector.ConnectAsync(Endpoint(host), ct);
                    clients.Add(client);
                    return client;
                }
                catch (SqlOperationException e) when (e.IsConnectionFailure)
                {
                    return null;
                }
            }, ct);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
