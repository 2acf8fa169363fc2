using HaInfra.Model;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Endpoint;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Tests;

/// <summary>A role change's context over a <see cref="FakeCluster"/>: every host at its fake port, the endpoint logging into the cluster's log.</summary>
internal static class FakeRoleChange
{
    public static RoleChangeContext Context(Topology topology, FakeCluster cluster, ITermStore terms) => new(
        topology,
        topology.Hosts.ToDictionary(h => h.Name, h => SqlEndpoint.UnixSocket(h.Name, $"/tmp/{h.Name}.sock")),
        topology.Hosts.ToDictionary(h => h.Name, h => new ServerAddress("127.0.0.1", cluster.Servers[h.Name].Port)),
        new ReplicationAccount(ReplicationAccount.DefaultUser, "127.0.0.1", new Secret("pw")),
        null, terms, new LoggingEndpoint(cluster.Log), cluster, new MemoryStepLog());

    /// <summary>Records "endpoint: detach H" and "endpoint: route H" in the log the statements go to.</summary>
    private sealed class LoggingEndpoint(List<string> log) : IWriterEndpoint
    {
        public string Describe => "fake endpoint";

        public Task DetachAsync(string host, CancellationToken ct)
        {
            log.Add($"endpoint: detach {host}");
            return Task.CompletedTask;
        }

        public Task RouteWritesToAsync(string host, long term, CancellationToken ct)
        {
            log.Add($"endpoint: route {host}");
            return Task.CompletedTask;
        }

        public Task<string?> WriterAsync(CancellationToken ct) => Task.FromResult<string?>(null);
    }
}
