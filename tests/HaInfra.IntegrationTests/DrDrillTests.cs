using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The prod stack (six servers, backups on), sites in namespaces.</summary>
public sealed class NamespacedProdServers() : NamespacedServers("prod");

/// <summary>The short form of `local dr drill`: the whole region-loss story, with its verification, on real partitions.</summary>
public sealed class DrDrillTests(NamespacedProdServers stack) : IClassFixture<NamespacedProdServers>
{
    [NamespaceFact]
    public async Task The_region_loss_drill_loses_no_more_than_it_states_and_ends_with_every_server_equal()
    {
        var log = new MemoryStepLog();

        var report = await new LocalDrDrill(stack.Target, log).RunAsync("prod-dr", TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(5), CancellationToken.None);

        Assert.True(report.Passed, string.Join("; ", report.Failures));
        Assert.Equal(["up", "load", "cut", "promote", "writes", "rebuild", "home", "verify"], report.Phases.Select(p => p.Name));
        Assert.Equal(6, report.Checks.Count);
        Assert.Single(report.Checks.Select(c => c.Checksum).Distinct());
        Assert.True(report.AckedTotal > 100, $"only {report.AckedTotal} writes were acknowledged");
        Assert.True(report.Promotion.Risk.Transactions >= report.AckedLost);
        Assert.True(report.Promotion.Rto < TimeSpan.FromSeconds(10), $"RTO {report.Promotion.Rto}");
        Assert.Equal("prod-db-a1", stack.Target.Topology.Primary.Name);
        Assert.Contains("from the offsite copy", report.Phases.Single(p => p.Name == "rebuild").Detail, StringComparison.Ordinal);
        Assert.Contains(stack.Log.Lines, l => l.StartsWith("restore: prod-db-a1:", StringComparison.Ordinal) && l.Contains("from the offsite copy", StringComparison.Ordinal));
    }
}
