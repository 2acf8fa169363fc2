using HaInfra.Model;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The active-passive drills share one local-ap stack and run one after another (they change its roles).</summary>
[CollectionDefinition(Name)]
public sealed class ActivePassiveDrills : ICollectionFixture<ActivePassiveServers>
{
    public const string Name = "active-passive";
}

/// <summary>The local-ap stack realized locally: an active-passive pair (ap1, ap2), a same-city replica (ap3), a DR replica (ap4).</summary>
public sealed class ActivePassiveServers() : HaStackServers("local-ap")
{
    /// <summary>The passive: the live primary's partner in the pair.</summary>
    public string Passive => ActivePassivePair.PartnerOf(Target.Topology, Primary)!.Name;

    /// <summary>Where a server replicates from ("host:port"), or null without a channel.</summary>
    public async Task<string?> SourceOfAsync(string host)
    {
        await using var client = await ConnectAsync(host);
        var row = await client.QuerySingleAsync("SHOW SLAVE STATUS");
        return row is null ? null : $"{row.Text("Master_Host")}:{row.Number("Master_Port")}";
    }

    public string AddressOf(string host) => $"127.0.0.1:{Target.BootstrapRequestFor(Operations.Local.LocalState.Load(Target.Paths)!, new Operations.Secret("unused")).ReplicationAddresses[host].Port}";

    /// <summary>The ring and the replicas as the method wants them: each writer replicates from the other, the rest from the active.</summary>
    public async Task AssertRingAsync(string when)
    {
        var active = Primary;
        var passive = Passive;
        Assert.True(await SourceOfAsync(active) == AddressOf(passive), $"{when}: the active {active} does not replicate from the passive: {await DescribeAsync()}");
        foreach (var host in Topology.Hosts.Where(h => h.Name != active))
        {
            Assert.True(await SourceOfAsync(host.Name) == AddressOf(active), $"{when}: {host.Name} does not replicate from the active {active}: {await DescribeAsync()}");
        }

        Assert.Equal(1, await WritableServersAsync());
    }

    /// <summary>Every server's gtid_binlog_pos, in host order.</summary>
    public async Task<string[]> PositionsAsync() =>
        await Task.WhenAll(Topology.Hosts.Select(h => ScalarAsync(h.Name, "SELECT @@gtid_binlog_pos")!).Select(async t => (await t) ?? ""));
}

/// <summary>method: active-passive on real servers: the ring, writes under a switchover, kill -9 of the active, a misplaced write.</summary>
[Collection(ActivePassiveDrills.Name)]
public sealed class ActivePassiveTests(ActivePassiveServers stack)
{
    [MariaDbFact]
    public async Task Up_renders_the_pair_builds_the_ring_and_the_passive_applies_the_actives_writes()
    {
        await stack.HealAsync();
        await stack.AssertRingAsync("after up");
        var active = stack.Primary;
        var passive = stack.Passive;
        Assert.Equal(ActivePassivePair.Slot(stack.Topology, active)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), await stack.ScalarAsync(active, "SELECT @@gtid_domain_id"));
        Assert.Equal(ActivePassivePair.Slot(stack.Topology, passive)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), await stack.ScalarAsync(passive, "SELECT @@gtid_domain_id"));
        Assert.Equal("2", await stack.ScalarAsync(active, "SELECT @@auto_increment_increment"));
        Assert.Equal("0", await stack.ScalarAsync("ap3", "SELECT @@gtid_domain_id"));

        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("ap-writes", stop.Token);
        await Task.Delay(2000);
        var lagSamples = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await using var client = await stack.ConnectAsync(passive);
            var row = await client.QuerySingleAsync("SHOW SLAVE STATUS");
            Assert.Equal("Yes", row!.Text("Slave_SQL_Running"));
            lagSamples.Add(row.Number("Seconds_Behind_Master") ?? -1);
            await Task.Delay(200);
        }

        await stop.CancelAsync();
        var report = await writer;
        Assert.All(lagSamples, l => Assert.InRange(l, 0, 5));
        await Task.Delay(500);
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 4);

        // The active's writes come back to it through the ring and are dropped by server_id: its position does not move.
        var positions = await stack.PositionsAsync();
        await Task.Delay(2000);
        Assert.Equal(positions, await stack.PositionsAsync());
    }

    [MariaDbFact]
    public async Task Switchover_inside_the_pair_under_writes_repoints_no_writer_and_loses_nothing()
    {
        await stack.HealAsync();
        var first = stack.Primary;
        var second = stack.Passive;
        var term = stack.Term;
        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("ap-switchover", stop.Token);

        var log = new MemoryStepLog();
        var there = await new Switchover(stack.RoleChange(log)).RunAsync(null, TimeSpan.FromSeconds(30), "test");
        await Task.Delay(500);
        await stack.AssertRingAsync("after the switchover");
        await stack.AssertConvergedAsync("after the switchover");
        var back = await new Switchover(stack.RoleChange()).RunAsync(first, TimeSpan.FromSeconds(30), "test");
        await Task.Delay(500);
        await stop.CancelAsync();
        var report = await writer;

        Assert.Equal(second, there.Term.Primary);
        Assert.Equal(first, back.Term.Primary);
        Assert.Equal(term + 2, stack.Term);
        Assert.Contains(log.Lines, l => l.StartsWith("promote", StringComparison.Ordinal) && l.Contains("keeps replicating from", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("repoint", StringComparison.Ordinal) && l.Contains($"{first} is the passive now", StringComparison.Ordinal));
        Assert.True(there.WriteGap < TimeSpan.FromSeconds(2), $"writes refused for {there.WriteGap}");
        await stack.AssertRingAsync("after the switchover back");
        Assert.Equal(first, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 4);
    }

    [MariaDbFact]
    public async Task A_flip_whose_passive_dies_before_promotion_rolls_back_to_a_writable_active()
    {
        await stack.HealAsync();
        var active = stack.Primary;
        var passive = stack.Passive;
        var term = stack.Term;
        var switchover = new Switchover(stack.RoleChange())
        {
            BeforeStep = step =>
            {
                if (step == "promote")
                {
                    stack.Crash(passive);
                }

                return Task.CompletedTask;
            },
        };

        var failure = await Assert.ThrowsAsync<Operations.OperationFailedException>(() => switchover.RunAsync(null, TimeSpan.FromSeconds(30), "test"));

        Assert.Contains("rolled back", failure.Message, StringComparison.Ordinal);
        Assert.Equal(term, stack.Term);
        Assert.Equal(active, stack.Primary);
        Assert.Equal("0", await stack.ScalarAsync(active, "SELECT @@read_only"));
        Assert.Equal(1, await stack.WritableServersAsync());
        Assert.Equal(active, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));

        // The passive comes back as the passive, and the active's ring channel reconnects to it.
        await stack.HealAsync();
        await stack.AssertRingAsync("after the passive came back");
    }

    [MariaDbFact]
    public async Task Kill_9_of_the_active_makes_the_passive_writable_and_the_old_active_returns_as_the_passive()
    {
        await stack.HealAsync();
        await stack.ClearAntiFlapAsync();
        var old = stack.Primary;
        var passive = stack.Passive;
        var term = stack.Term;
        using var stop = new CancellationTokenSource();
        var writer = await stack.StartWriterAsync("ap-kill9", stop.Token);
        var log = new MemoryStepLog();
        var monitor = new FailoverMonitor(stack.RoleChange(log), "test");

        stack.Crash(old);
        var ticks = await stack.MonitorUntilNewTermAsync(term, TimeSpan.FromSeconds(30), monitor);
        await Task.Delay(700);
        await stop.CancelAsync();
        var report = await writer;

        var result = Assert.Single(ticks[0], t => t.Failover is not null).Failover!;
        Assert.Equal(passive, result.Term.Primary);
        Assert.Equal("0", await stack.ScalarAsync(passive, "SELECT @@read_only"));
        Assert.Equal(passive, await stack.RoleChange().Endpoint.WriterAsync(CancellationToken.None));
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 3);

        // local up brings the old active back as the passive, and the new active gets its ring channel from it.
        await stack.HealAsync();
        Assert.Equal(passive, stack.Primary);
        Assert.Equal(old, stack.Passive);
        await stack.AssertRingAsync("after the old active came back");
        await stack.AssertEveryAcknowledgedWriteEverywhereAsync(report, 4);
    }

    [MariaDbFact]
    public async Task A_write_on_the_passive_while_the_ring_was_stopped_reaches_the_active_at_the_next_up_and_is_not_rewound()
    {
        await stack.HealAsync();
        var active = stack.Primary;
        var passive = stack.Passive;
        await stack.ExecuteAsync(active, "STOP SLAVE");
        await stack.ExecuteAsync(passive,
            "CREATE DATABASE IF NOT EXISTS ring_stopped", "CREATE TABLE IF NOT EXISTS ring_stopped.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(16))",
            "INSERT INTO ring_stopped.t (v) VALUES ('while-stopped')");
        var written = await stack.ScalarAsync(passive, "SELECT @@gtid_binlog_pos");

        var log = new MemoryStepLog();
        await stack.NewTarget(stack.Topology, log).UpAsync();

        Assert.Contains(log.Lines, l => l.StartsWith("ring", StringComparison.Ordinal) && l.Contains("stopped ring channel restarted", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("rejoin", StringComparison.Ordinal) || l.StartsWith("reseed", StringComparison.Ordinal));
        foreach (var host in stack.Topology.Hosts)
        {
            Assert.True(await stack.ScalarAsync(host.Name, $"SELECT MASTER_GTID_WAIT('{written}', 20)") == "0", $"{host.Name} did not reach {written}: {await stack.DescribeAsync()}");
            Assert.Equal("1", await stack.ScalarAsync(host.Name, "SELECT COUNT(*) FROM ring_stopped.t WHERE v = 'while-stopped'"));
        }

        await stack.AssertRingAsync("after up");
        var status = (await stack.Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems)));
        Assert.NotNull(status.PassiveWrites);
    }

    [MariaDbFact]
    public async Task A_write_on_the_passive_by_mistake_reaches_the_active_is_reported_with_advice_and_does_not_loop()
    {
        await stack.HealAsync();
        var active = stack.Primary;
        var passive = stack.Passive;
        // Earlier drills in this term may have written on the passive too: this one adds three transactions.
        var before = (await stack.Target.StatusAsync())!.Value.Report.PassiveWrites?.Count ?? 0;

        // root passes read_only: the mistake an operator or a misconfigured admin tool makes.
        await stack.ExecuteAsync(passive,
            "CREATE DATABASE IF NOT EXISTS misplaced", "CREATE TABLE IF NOT EXISTS misplaced.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(16))",
            "INSERT INTO misplaced.t (v) VALUES ('on-passive')");
        var written = await stack.ScalarAsync(passive, "SELECT @@gtid_binlog_pos");
        await ActivePassiveServers.WaitUntilAsync(async () =>
            await stack.ScalarAsync("ap4", "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'misplaced'") == "1"
            && await stack.ScalarAsync("ap4", "SELECT COUNT(*) FROM misplaced.t WHERE v = 'on-passive'") == "1", TimeSpan.FromSeconds(20));
        Assert.Equal("1", await stack.ScalarAsync(active, "SELECT COUNT(*) FROM misplaced.t WHERE v = 'on-passive'"));

        // Nothing loops: after a few seconds every position is where it was, and the pair agrees.
        var positions = await stack.PositionsAsync();
        await Task.Delay(3000);
        var later = await stack.PositionsAsync();
        Assert.Equal(positions, later);
        Assert.Equal(await stack.ScalarAsync(active, "SELECT @@gtid_binlog_state"), await stack.ScalarAsync(passive, "SELECT @@gtid_binlog_state"));

        var status = (await stack.Target.StatusAsync())!.Value.Report;
        var misplaced = status.PassiveWrites;
        Assert.NotNull(misplaced);
        Assert.Equal(passive, misplaced.Passive);
        Assert.Equal(before + 3, misplaced.Count);
        Assert.Equal(stack.Topology.Host(passive).ServerId, misplaced.Last.ServerId);
        Assert.Contains(misplaced.Last.ToString(), written, StringComparison.Ordinal);
        Assert.Contains("writer endpoint", misplaced.Reconcile, StringComparison.Ordinal);
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems)));
    }
}
