using HaInfra.Tests.Shared;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.IntegrationTests;

/// <summary>Planned switchovers on the prod stack's real servers, under writes, and the rollback of one that fails.</summary>
[Collection(HaDrills.Name)]
public sealed class SwitchoverTests(HaProdServers stack)
{
    [MariaDbFact]
    public async Task Switchover_there_and_back_under_writes_loses_and_duplicates_nothing()
    {
        await stack.HealAsync();
        var first = stack.Primary;
        var other = stack.Replica(r => r.Site != stack.Topology.Host(first).Site && stack.Topology.InPrimaryRegion(r)).Name;
        var term = stack.Term;
        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("switchover", stop.Token);

        var there = await new Switchover(stack.RoleChange()).RunAsync(other, TimeSpan.FromSeconds(30), "test");
        await Task.Delay(500);
        await stack.AssertConvergedAsync("after the first switchover");
        var back = await new Switchover(stack.RoleChange()).RunAsync(first, TimeSpan.FromSeconds(30), "test");
        await Task.Delay(500);
        await stack.AssertConvergedAsync("after the switchover back");
        await stop.CancelAsync();
        var report = await writer;

        Assert.Equal(other, there.Term.Primary);
        Assert.Equal(first, back.Term.Primary);
        Assert.Equal(term + 2, stack.Term);
        Assert.True(there.WriteGap < TimeSpan.FromSeconds(2), $"writes refused for {there.WriteGap}");
        Assert.Equal(first, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        Assert.Equal(1, await stack.WritableServersAsync());
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 6);
    }

    [MariaDbFact]
    public async Task A_candidate_that_dies_before_promotion_rolls_back_to_a_writable_old_primary()
    {
        await stack.HealAsync();
        var old = stack.Primary;
        var term = stack.Term;
        var candidate = stack.Replica(r => stack.Topology.InPrimaryRegion(r)).Name;
        var switchover = new Switchover(stack.RoleChange())
        {
            BeforeStep = step =>
            {
                if (step == "promote")
                {
                    stack.Crash(candidate);
                }

                return Task.CompletedTask;
            },
        };

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => switchover.RunAsync(candidate, TimeSpan.FromSeconds(20), "test"));

        Assert.Contains("failed at step 'promote'", error.Problem);
        await AssertRolledBackAsync(old, term);
        await stack.HealAsync();
        await stack.AssertConvergedAsync("after the rollback");
    }

    [MariaDbFact]
    public async Task A_switchover_killed_after_its_repoint_is_rolled_back_by_local_up_which_detaches_the_primary()
    {
        await stack.HealAsync();
        var old = stack.Primary;
        var term = stack.Term;
        var candidate = stack.Replica(r => stack.Topology.InPrimaryRegion(r)).Name;

        // The process dies right after printing its repoint step: no rollback, no term, the lease left behind.
        await Assert.ThrowsAsync<SimulatedKill>(() =>
            new Switchover(stack.RoleChange(new KillAfterStep("repoint"))).RunAsync(candidate, TimeSpan.FromSeconds(30), "test"));
        var log = new MemoryStepLog();
        try
        {
            Assert.Equal(0, await stack.WritableServersAsync());
            Assert.True(await HasChannelAsync(old), $"the killed switchover's repoint made {old} a replica");
            await stack.NewTarget(stack.Topology, log).UpAsync();
        }
        finally
        {
            await stack.Target.Terms.UpdateAsync(s => s with { Pending = null }, CancellationToken.None);
        }

        Assert.Contains(log.Lines, l => l.StartsWith($"primary: {old}: it replicated from", StringComparison.Ordinal) && l.Contains("that channel removed", StringComparison.Ordinal));
        Assert.Equal(old, stack.Primary);
        Assert.Equal(term, stack.Term);
        Assert.False(await HasChannelAsync(old));
        Assert.Equal(1, await stack.WritableServersAsync());
        await stack.HealAsync();
        await stack.AssertConvergedAsync("after local up undid the killed switchover");
    }

    private async Task<bool> HasChannelAsync(string host)
    {
        await using var client = await stack.ConnectAsync(host);
        return await client.QuerySingleAsync("SHOW SLAVE STATUS") is not null;
    }

    private sealed class SimulatedKill(string step) : Exception($"killed after step {step}");

    /// <summary>A log that ends the role change right after the named step is printed, as kill -9 would.</summary>
    private sealed class KillAfterStep(string step) : IStepLog
    {
        public void Step(string name, string detail)
        {
            if (name == step)
            {
                throw new SimulatedKill(step);
            }
        }

        public void Warn(string message)
        {
        }
    }

    [MariaDbFact]
    public async Task A_candidate_that_cannot_catch_up_within_the_deadline_rolls_back()
    {
        await stack.HealAsync();
        var old = stack.Primary;
        var term = stack.Term;
        var candidate = stack.Replica(r => stack.Topology.InPrimaryRegion(r)).Name;
        var switchover = new Switchover(stack.RoleChange())
        {
            BeforeStep = async step =>
            {
                if (step == "fence")
                {
                    // The candidate stops applying, and the primary writes once more: MASTER_GTID_WAIT cannot succeed.
                    await stack.ExecuteAsync(candidate, "STOP SLAVE SQL_THREAD");
                    await stack.ExecuteAsync(old, "CREATE DATABASE IF NOT EXISTS lag_probe", "CREATE TABLE IF NOT EXISTS lag_probe.t (id INT PRIMARY KEY)", "REPLACE INTO lag_probe.t VALUES (1)");
                }
            },
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => switchover.RunAsync(candidate, TimeSpan.FromSeconds(6), "test"));

        Assert.Contains("failed at step 'catch-up'", error.Problem);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the 6 s deadline took {clock.Elapsed}");
        await AssertRolledBackAsync(old, term);
        Assert.Equal("ON", await stack.ScalarAsync(candidate, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'"));
    }

    [MariaDbFact]
    public async Task A_replica_with_an_errant_transaction_is_refused_as_candidate_and_named()
    {
        await stack.HealAsync();
        var errant = stack.Replica(r => stack.Topology.InPrimaryRegion(r)).Name;
        await stack.ExecuteAsync(errant, "CREATE DATABASE IF NOT EXISTS errant_probe");
        try
        {
            var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
                new Switchover(stack.RoleChange()).RunAsync(errant, TimeSpan.FromSeconds(10), "test"));
            Assert.True(error.Problem.Contains($"{errant}: it holds transactions", StringComparison.Ordinal), error.Problem);
            Assert.Contains("errant GTIDs", error.Problem);

            // Without --to, the errant host is passed over and another is chosen.
            var result = await new Switchover(stack.RoleChange()).RunAsync(null, TimeSpan.FromSeconds(30), "test");
            Assert.NotEqual(errant, result.Term.Primary);
            await Task.Delay(300);
            Assert.True(stack.Topology.InPrimaryRegion(stack.Topology.Host(result.Term.Primary)));
        }
        finally
        {
            await stack.NewTarget(stack.Topology).ReseedAsync(errant, new Operations.Local.SeedOptions(), force: true);
        }

        await stack.AssertConvergedAsync("after the errant host's reseed");
    }

    [MariaDbFact]
    public async Task A_dr_host_is_never_a_switchover_candidate()
    {
        await stack.HealAsync();
        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            new Switchover(stack.RoleChange()).RunAsync("prod-db-dr1", TimeSpan.FromSeconds(10), "test"));
        Assert.Contains("never promoted here", error.Problem);
    }

    [MariaDbFact]
    public async Task After_a_failover_restarting_every_server_keeps_one_writer_the_new_primary()
    {
        await stack.HealAsync();
        var old = stack.Primary;
        stack.Crash(old);
        var failover = await stack.NewTarget(stack.Topology).FailoverAsync(null, null);
        var target = failover.Term.Primary;
        await stack.HealAsync();

        await stack.Target.DownAsync(purge: false, force: false);
        var log = new MemoryStepLog();
        await stack.NewTarget(stack.Topology, log).UpAsync();

        Assert.Equal(target, stack.Primary);
        Assert.NotEqual(old, target);
        Assert.Equal(1, await stack.WritableServersAsync());
        Assert.Equal("0", await stack.ScalarAsync(target, "SELECT @@read_only"));
        Assert.Equal("1", await stack.ScalarAsync(old, "SELECT @@read_only"));
        Assert.Equal(target, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        Assert.DoesNotContain(log.Lines, l => l.Contains("CHANGE MASTER", StringComparison.Ordinal) && l.StartsWith($"replica: {target}", StringComparison.Ordinal));
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems)));
        Assert.Contains($"primary: {target}", status.PrimaryLine);
        Assert.Contains($"configured initial primary: {stack.Topology.InitialPrimary.Name}", status.PrimaryLine);
        await stack.AssertConvergedAsync("after the restart");
    }

    private async Task AssertRolledBackAsync(string old, long term)
    {
        Assert.Equal(old, stack.Primary);
        Assert.Equal(term, stack.Term);
        Assert.Equal("0", await stack.ScalarAsync(old, "SELECT @@read_only"));
        Assert.Equal(old, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        Assert.Null(stack.Target.Terms.Read().Pending);

        // An application write through the endpoint goes through.
        await using var app = await new Operations.Sql.ServerConnector().ConnectAsync(await stack.Target.AppEndpointAsync());
        await app.ExecuteAsync("INSERT INTO hainfra_load.writes (id, writer, at) VALUES (UUID_SHORT() % 1000000000, 'rollback-probe', NOW(6))");
    }
}
