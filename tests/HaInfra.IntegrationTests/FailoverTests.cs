using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>Failover on the prod stack's real servers: kill -9 under writes, racing monitors, anti-flap, a hung primary, rejoin.</summary>
[Collection(HaDrills.Name)]
public sealed class FailoverTests(HaProdServers stack)
{
    [MariaDbFact]
    public async Task Kill_9_of_the_primary_under_writes_fails_over_by_itself_and_every_acknowledged_write_survives()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var old = stack.Primary;
        var term = stack.Term;
        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("kill9", stop.Token);
        var log = new MemoryStepLog();
        var monitor = new FailoverMonitor(stack.RoleChange(log), "test");

        var killed = System.Diagnostics.Stopwatch.StartNew();
        stack.Crash(old);
        var ticks = await stack.MonitorUntilNewTermAsync(term, TimeSpan.FromSeconds(30), monitor);
        var failedOver = killed.Elapsed;
        await Task.Delay(700);
        await stop.CancelAsync();
        var report = await writer;

        var result = Assert.Single(ticks[0], t => t.Failover is not null).Failover!;
        Assert.NotEqual(old, result.Term.Primary);
        Assert.Equal(term + 1, result.Term.Term);
        Assert.True(stack.Topology.InPrimaryRegion(stack.Topology.Host(result.Term.Primary)));
        Assert.True(failedOver < TimeSpan.FromSeconds(10), $"failover took {failedOver} after the kill");
        Assert.Contains(log.Lines, l => l.Contains("lost the primary too", StringComparison.Ordinal));
        Assert.Equal(result.Term.Primary, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 5);

        // local up brings the old primary back as a replica of the new one; the new primary stays.
        await stack.HealAsync();
        Assert.Equal(result.Term.Primary, stack.Primary);
        Assert.Equal(1, await stack.WritableServersAsync());
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 6);
    }

    [MariaDbFact]
    public async Task Two_monitors_racing_for_one_dead_primary_promote_once()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var term = stack.Term;
        var first = new FailoverMonitor(stack.RoleChange(new MemoryStepLog()), "monitor-1");
        var second = new FailoverMonitor(stack.RoleChange(new MemoryStepLog()), "monitor-2");

        stack.Crash(stack.Primary);
        var ticks = await stack.MonitorUntilNewTermAsync(term, TimeSpan.FromSeconds(30), first, second);
        await Task.Delay(1500);
        var later = await Task.WhenAll(first.TickAsync(CancellationToken.None), second.TickAsync(CancellationToken.None));

        Assert.Equal(1, ticks.Sum(t => t.Count(x => x.Failover is not null)));
        Assert.Equal(term + 1, stack.Term);
        Assert.All(later, t => Assert.Null(t.Failover));
        Assert.Equal(1, await stack.WritableServersAsync());
        await stack.HealAsync();
    }

    [MariaDbFact]
    public async Task No_second_automatic_failover_inside_the_anti_flap_window_but_an_operator_may()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var term = stack.Term;
        var monitor = new FailoverMonitor(stack.RoleChange(new MemoryStepLog()), "test");
        stack.Crash(stack.Primary);
        await stack.MonitorUntilNewTermAsync(term, TimeSpan.FromSeconds(30), monitor);
        Assert.Equal(term + 1, stack.Term);

        var second = stack.Primary;
        stack.Crash(second);
        var ticks = await stack.MonitorUntilNewTermAsync(term + 1, TimeSpan.FromSeconds(5), monitor);

        Assert.Equal(term + 1, stack.Term);
        Assert.Contains(ticks[0], t => t.Refused is { } r && r.Contains("anti-flap", StringComparison.Ordinal));
        var manual = await stack.NewTarget(stack.Topology).FailoverAsync(null, null);
        Assert.Equal(term + 2, manual.Term.Term);
        Assert.NotEqual(second, manual.Term.Primary);
        await stack.HealAsync();
    }

    [MariaDbFact]
    public async Task A_hung_primary_is_failed_over_and_fenced_and_gets_no_writes_through_the_endpoint()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var old = stack.Primary;
        var term = stack.Term;
        var pid = stack.Pid(old);
        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("hung", stop.Token);
        var monitor = new FailoverMonitor(stack.RoleChange(new MemoryStepLog()), "test");

        // SIGSTOP: the process is alive and its sockets stay open, but it answers nothing (as a hung or cut-off server).
        Assert.Equal(0, Processes.Run("kill", ["-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string?>()).Exit);
        var ticks = await stack.MonitorUntilNewTermAsync(term, TimeSpan.FromSeconds(40), monitor);
        await Task.Delay(700);
        await stop.CancelAsync();
        var report = await writer;

        Assert.Equal(term + 1, stack.Term);
        Assert.Contains(ticks[0], t => t.Health == PrimaryHealth.Suspect && t.Why.Contains("still hear", StringComparison.Ordinal));
        Assert.False(ProcessState.IsAlive(pid), "the hung old primary was not fenced (killed)");
        Assert.Equal(stack.Primary, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 5);
        await stack.HealAsync();
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 6);
    }

    [MariaDbFact]
    public async Task An_old_primary_with_writes_nobody_else_has_is_rewound_by_flashback_and_the_writes_are_saved()
    {
        await stack.HealAsync();
        var old = stack.Primary;
        var replicas = stack.Target.Topology.Replicas.ToList();
        await stack.ExecuteAsync(old, "CREATE DATABASE IF NOT EXISTS tail_probe", "CREATE TABLE IF NOT EXISTS tail_probe.t (id INT PRIMARY KEY, v VARCHAR(16))", "REPLACE INTO tail_probe.t VALUES (1, 'shared')");
        var position = await stack.ScalarAsync(old, "SELECT @@gtid_binlog_pos");
        foreach (var replica in replicas)
        {
            Assert.True(await stack.ScalarAsync(replica.Name, $"SELECT MASTER_GTID_WAIT('{position}', 30)") == "0",
                $"{replica.Name} did not reach {position}: {await stack.ReplicaStateAsync(replica.Name)}");        }

        // Every replica stops receiving; the primary's semi-sync gives up after 300 ms and commits alone.
        foreach (var replica in replicas)
        {
            await stack.ExecuteAsync(replica.Name, "STOP SLAVE");
        }

        await stack.ExecuteAsync(old, "SET GLOBAL rpl_semi_sync_master_timeout = 300",
            "INSERT INTO tail_probe.t VALUES (2, 'only-old'), (3, 'only-old')", "UPDATE tail_probe.t SET v = 'changed' WHERE id = 1");
        stack.Crash(old);
        foreach (var replica in replicas)
        {
            await stack.ExecuteAsync(replica.Name, "START SLAVE");
        }

        var before = Directory.Exists(stack.Target.Paths.RejoinDir) ? Directory.GetDirectories(stack.Target.Paths.RejoinDir) : [];
        var failover = await stack.NewTarget(stack.Topology).FailoverAsync(null, null);
        var log = new MemoryStepLog();
        await stack.NewTarget(stack.Topology, log).UpAsync();

        Assert.Contains(log.Lines, l => l.StartsWith($"rewind: {old}", StringComparison.Ordinal));
        Assert.Equal("1", await stack.ScalarAsync(old, "SELECT COUNT(*) FROM tail_probe.t"));
        Assert.Equal("shared", await stack.ScalarAsync(old, "SELECT v FROM tail_probe.t WHERE id = 1"));
        // Earlier drills may have saved tails of this host too: this test's is the new directory.
        var saved = Directory.GetDirectories(stack.Target.Paths.RejoinDir, $"{old}-*").Except(before).Single();
        var tail = await File.ReadAllTextAsync(Path.Combine(saved, "tail.sql"));
        Assert.Contains("only-old", tail);
        Assert.Contains("'changed'", tail);
        Assert.True(File.Exists(Path.Combine(saved, "flashback.sql")));
        Assert.Equal(failover.Term.Primary, stack.Primary);
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems)));
    }

    [MariaDbFact]
    public async Task A_failover_whose_candidate_dies_after_promotion_frees_its_lease_and_a_retry_promotes_another_at_once()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var old = stack.Primary;
        var term = stack.Term;
        await stack.ExecuteAsync(old, "CREATE DATABASE IF NOT EXISTS twice", "CREATE TABLE IF NOT EXISTS twice.t (id INT PRIMARY KEY)", "DELETE FROM twice.t",
            "INSERT INTO twice.t SELECT seq FROM twice.seq_1_to_50");
        stack.Crash(old);

        // A long-lived actor (a monitor's process, here the test's): the candidate is detached and promoted, then dies
        // before it takes the term, so no server is writable.
        var log = new MemoryStepLog();
        string? candidate = null;
        var first = new PrimaryFailover(stack.RoleChange(log))
        {
            BeforeStep = step =>
            {
                if (step == "term")
                {
                    candidate = System.Text.RegularExpressions.Regex.Match(string.Join("\n", log.Lines), @"-> ([\w-]+): ").Groups[1].Value;
                    stack.Crash(candidate);
                }

                return Task.CompletedTask;
            },
        };
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => first.RunAsync(null, TimeSpan.FromSeconds(20), "test-1", automatic: false));
        Assert.Contains("'term'", error.Problem);
        Assert.NotNull(candidate);
        Assert.Equal(term, stack.Term);
        Assert.Null(stack.Target.Terms.Read().Pending);

        // The retry is not kept waiting for the first one's deadline: it promotes another host of the primary region.
        var retry = await new PrimaryFailover(stack.RoleChange(new MemoryStepLog())).RunAsync(null, TimeSpan.FromSeconds(20), "test-2", automatic: false);
        Assert.Equal(term + 1, retry.Term.Term);
        Assert.NotEqual(old, retry.Term.Primary);
        Assert.NotEqual(candidate, retry.Term.Primary);
        Assert.True(stack.Topology.InPrimaryRegion(stack.Topology.Host(retry.Term.Primary)));
        Assert.Equal(1, await stack.WritableServersAsync());
        Assert.Equal("50", await stack.ScalarAsync(retry.Term.Primary, "SELECT COUNT(*) FROM twice.t"));
        await stack.HealAsync();
        await stack.AssertConvergedAsync("after the failed failover and its retry");
    }
}
