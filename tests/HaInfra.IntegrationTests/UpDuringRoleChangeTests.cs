using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>local up while a role change holds the lease: it waits for the change to end before touching any server.</summary>
public sealed class UpDuringRoleChangeTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Local_up_waits_for_a_role_change_under_way_to_end()
    {
        var term = stack.Target.Terms.Read().Current!;
        // A live holder (this process) whose change ends 2 s from now, as a failover applying a relay log would.
        var lease = PendingChange.Mine("failover", term.Primary, "db2", "test monitor", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30));
        await stack.Target.Terms.UpdateAsync(s => s with { Pending = lease });
        var release = Task.Run(async () =>
        {
            await Task.Delay(2000);
            await stack.Target.Terms.UpdateAsync(s => s with { Pending = null });
        });

        var log = new MemoryStepLog();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stack.NewTarget(stack.Topology, log).UpAsync();
        await release;

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"local up took {clock.Elapsed}: it did not wait");
        Assert.Contains(log.Lines, l => l.StartsWith($"wait: failover {term.Primary} -> db2 by test monitor is under way", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("wait: it ended after", StringComparison.Ordinal));
        Assert.Equal(term.Term, stack.Target.Terms.Read().Current!.Term);
    }
}
