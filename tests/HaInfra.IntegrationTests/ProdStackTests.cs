using HaInfra.Tests.Shared;
using HaInfra.Model;

namespace HaInfra.IntegrationTests;

/// <summary>Any stack can be realized locally: prod gives one local server per prod host.</summary>
public sealed class ProdStackTests(ProdStackServers stack) : IClassFixture<ProdStackServers>
{
    [MariaDbFact]
    public async Task Prod_realized_locally_is_healthy_with_semi_sync_in_both_same_city_sites()
    {
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.Equal(6, status.Hosts.Count);
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems.Select(p => $"{h.Host.Name}: {p}"))));

        var primary = status.Hosts.Single(h => h.Host.Role == HostRole.Primary).Snapshot!;
        Assert.Equal(3, primary.SemiSync.SourceClients);
        foreach (var row in status.Hosts.Where(h => h.Host.Role == HostRole.Replica))
        {
            var semiSync = row.Site.Mode == ReplicationMode.SemiSync;
            Assert.Equal(semiSync, row.Snapshot!.SemiSync.ReplicaActive);
        }
    }
}
