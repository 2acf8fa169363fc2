using System.Net;
using System.Net.Sockets;
using HaInfra.Model;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Load;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>A stack with every site in a network namespace of its own (hainfra:local.siteNamespaces).</summary>
public abstract class NamespacedServers(string stack) : LocalStackFixture(stack)
{
    protected override Topology Adjust(Topology topology) => topology with { Local = topology.Local with { SiteNamespaces = true } };
}

/// <summary>The local stack, sites in namespaces.</summary>
public sealed class NamespacedLocalServers() : NamespacedServers("local");

/// <summary>
/// A real network partition: the primary's site is cut off (its veth pair goes down) while the server keeps running and
/// a client on its side keeps writing to it. The monitor fails over, the fence stops the cut-off server, the endpoint
/// never sends it another write, and once the partition heals its lone write is rewound and saved.
/// </summary>
public sealed class PartitionTests(NamespacedLocalServers stack) : IClassFixture<NamespacedLocalServers>
{
    [NamespaceFact]
    public async Task A_partitioned_primary_is_failed_over_fenced_and_rewound_and_takes_no_write_through_the_endpoint()
    {
        var target = stack.Target;
        var state = LocalState.Load(target.Paths)!;
        var network = target.Network(state);
        Assert.StartsWith("10.254.", network.AddressOf(stack.Topology.Host("db1")), StringComparison.Ordinal);
        var old = target.Topology.Primary;
        var pid = stack.Pid(old.Name);
        var term = target.Terms.Read().Current!.Term;
        await stack.ExecuteAsync(old.Name, "CREATE DATABASE IF NOT EXISTS hainfra_load", "CREATE TABLE IF NOT EXISTS hainfra_load.lone (id INT PRIMARY KEY)");

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () => await new AckedWriter(new ServerConnector(), await target.AppEndpointAsync(), "partition")
            .RunAsync(TimeSpan.FromMilliseconds(2), ct: stop.Token));
        using var monitoring = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var log = new MemoryStepLog();
        var monitor = Task.Run(() => new FailoverMonitor(target.RoleChange(log), "test").RunAsync(monitoring.Token));
        await Task.Delay(1000);

        await network.CutAsync(old.Site, CancellationToken.None);
        try
        {
            // A client on the primary's side of the cut still reaches it and writes; semi-sync gives up after its timeout.
            await stack.ExecuteAsync(old.Name, "INSERT INTO hainfra_load.lone VALUES (42)");
            await HaProdServers.WaitUntilAsync(() => Task.FromResult(target.Terms.Read().Current!.Term > term), TimeSpan.FromSeconds(45));
            await Task.Delay(1000);
        }
        finally
        {
            await monitoring.CancelAsync();
            await stop.CancelAsync();
            await network.HealAsync(old.Site, CancellationToken.None);
        }

        await monitor.ContinueWith(_ => { }, TaskScheduler.Default);
        var report = await writer;
        var now = target.Terms.Read().Current!;
        Assert.Equal(term + 1, now.Term);
        Assert.NotEqual(old.Name, now.Primary);
        Assert.Contains(log.Lines, l => l.Contains("cut off: it answers only on its management channel", StringComparison.Ordinal));
        Assert.False(ProcessState.IsAlive(pid), "the cut-off primary was not fenced");
        Assert.Equal(now.Primary, await target.RoleChange().Endpoint.WriterAsync(CancellationToken.None));

        var up = new MemoryStepLog();
        await stack.NewTarget(stack.Topology, up).UpAsync();
        Assert.Contains(up.Lines, l => l.StartsWith($"rewind: {old.Name}", StringComparison.Ordinal));
        var tail = await File.ReadAllTextAsync(Path.Combine(Directory.GetDirectories(target.Paths.RejoinDir, $"{old.Name}-*").Single(), "tail.sql"));
        Assert.Contains("`hainfra_load`.`lone`", tail);
        // The writer is sequential: at most the one insert in flight at the cut can have reached the cut-off primary
        // (committed there after semi-sync gave up, never acknowledged); none can arrive through the endpoint after it.
        var inFlight = tail.Split("### INSERT INTO `hainfra_load`.`writes`").Length - 1;
        Assert.True(inFlight <= 1, $"the cut-off primary took {inFlight} endpoint writes after the cut:\n{tail}");
        Assert.Equal("0", await stack.ScalarAsync(old.Name, "SELECT COUNT(*) FROM hainfra_load.lone"));

        var checks = await target.CheckWritesAsync(report);
        Assert.True(report.Acked.Count > 50, $"only {report.Acked.Count} writes acknowledged ({report.LastError})");
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.Empty(c.Missing));
        Assert.Single(checks.Select(c => c.Checksum).Distinct());
    }

    /// <summary>A namespaced server listens on its namespace's address: whatever holds the same port number on the root
    /// loopback (another process's listener, or a client's ephemeral port: the reliability drill's servers sat inside
    /// 32768-60999) does not stop local up from starting it.</summary>
    [NamespaceFact]
    public async Task Local_up_starts_a_namespaced_server_whose_port_number_is_taken_on_the_root_loopback()
    {
        var target = stack.Target;
        var state = LocalState.Load(target.Paths)!;
        var replica = target.Topology.Hosts.First(h => h.Name != target.Terms.Read().Current!.Primary);
        await new LocalServer(replica.Name, stack.Paths(replica.Name), MariaDbBinaries.Require()).StopAsync(CancellationToken.None);

        using var squatter = new TcpListener(IPAddress.Loopback, state.Hosts[replica.Name].Port);
        squatter.Start();
        Assert.False(PortCheck.IsFree(state.Hosts[replica.Name].Port));

        await stack.NewTarget(stack.Topology, new MemoryStepLog()).UpAsync();

        Assert.True(stack.Pid(replica.Name) > 0);
    }
}
