using HaInfra.Cli;
using HaInfra.Operations.Locking;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The operation lock on the servers themselves, through the cloud bootstrap verb against real servers reached over
/// TCP as cloud hosts are: a second operator is refused and told who holds it; a killed holder leaves nothing behind.
/// </summary>
public sealed class HostLockTests(UnbootstrappedLocalServers servers) : IClassFixture<UnbootstrappedLocalServers>
{
    private static Dictionary<string, string?> Environment() => BootstrapVerbTests.Environment();

    private Task CreateAdminAsync(string host) => BootstrapVerbTests.CreateAdminAsync(servers, host);

    private string OutputsDocument(Model.Topology topology) => BootstrapVerbTests.OutputsDocument(servers, topology);

    /// <summary>The servers as cloud-init leaves cloud hosts (an admin account over TLS), and an outputs document naming them.</summary>
    private async Task<string> CloudHostsAsync(string name)
    {
        foreach (var host in servers.Topology.Hosts)
        {
            await CreateAdminAsync(host.Name);
        }

        var outputs = Path.Combine(servers.StateRoot, name);
        await File.WriteAllTextAsync(outputs, OutputsDocument(servers.Topology));
        return outputs;
    }

    private async Task<IReadOnlyList<SqlRow>> SlaveStatusAsync(string host)
    {
        await using var client = await servers.ConnectAsync(host);
        return await client.QueryAsync("SHOW SLAVE STATUS");
    }

    [MariaDbFact]
    public async Task A_second_operator_is_refused_while_another_holds_the_lock_on_the_hosts_and_is_told_who()
    {
        var topology = servers.Topology;
        var outputs = await CloudHostsAsync("outputs-locked.json");
        var before = new Dictionary<string, string>();
        foreach (var host in topology.Hosts)
        {
            before[host.Name] = Describe(await SlaveStatusAsync(host.Name));
        }

        // Another operator's machine, as the servers see it: a session holding the lock, named in its statement.
        var holder = $"pid 4242 on ops-2 since 2026-12-07 11:40:02 UTC: hainfra bootstrap --stack local ({Guid.NewGuid():N})";
        var endpoints = topology.Hosts.Skip(1).Select(h => (h.Name, SqlEndpoint.UnixSocket(h.Name, servers.Target.Paths.Host(h.Name).Socket))).ToList();
        var other = await HostLock.AcquireAsync(new ServerConnector(), endpoints, holder, new MemoryStepLog(), CancellationToken.None);
        try
        {
            var (exit, stdout, stderr) = CliTests.RunWith(Environment(), "bootstrap", "--stack", "local", "--outputs", outputs);
            Assert.Equal(ExitCodes.Failed, exit);
            Assert.Contains($"another operation holds this stack's lock on {topology.Hosts.ElementAt(1).Name}: {holder}.", stderr);
            Assert.DoesNotMatch(@"^\s+at \S+\(", stderr);
            foreach (var host in topology.Hosts)
            {
                Assert.Equal(before[host.Name], Describe(await SlaveStatusAsync(host.Name)));

                // The refused command let go of the first host, which it had locked before meeting the holder.
                Assert.Equal(host.Name == topology.Hosts.First().Name ? "" : "held", await LockStateAsync(host.Name));
            }
        }
        finally
        {
            await other.DisposeAsync();
        }

        foreach (var host in topology.Hosts)
        {
            Assert.Equal("", await LockStateAsync(host.Name));
        }

        var (again, _, againErr) = CliTests.RunWith(Environment(), "bootstrap", "--stack", "local", "--outputs", outputs);
        Assert.True(again == 0, againErr);
    }

    [MariaDbFact]
    public async Task A_holder_killed_with_SIGKILL_leaves_no_lock_behind()
    {
        var topology = servers.Topology;
        var outputs = await CloudHostsAsync("outputs-killed.json");
        var kill = new Dictionary<string, string?>(Environment()) { ["HAINFRA_DRILL_KILL_AFTER_STEP"] = "lock" };
        var (exit, stdout, _) = CliTests.RunWith(kill, "bootstrap", "--stack", "local", "--outputs", outputs);
        Assert.Equal(137, exit);
        Assert.Contains($"this stack's operation lock held on {string.Join(", ", topology.Hosts.Select(h => h.Name))}", stdout);

        // The servers free a dead client's named lock when they notice its connection closed: after the beat it was sleeping.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var states = new List<string>();
            foreach (var host in topology.Hosts)
            {
                states.Add(await LockStateAsync(host.Name));
            }

            if (states.All(s => s == ""))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the killed holder's lock is still held after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", states)}");
            await Task.Delay(100);
        }

        var (again, _, againErr) = CliTests.RunWith(Environment(), "bootstrap", "--stack", "local", "--outputs", outputs);
        Assert.True(again == 0, againErr);
    }

    private async Task<string> LockStateAsync(string host)
    {
        await using var client = await servers.ConnectAsync(host);
        return await client.ScalarAsync($"SELECT IS_USED_LOCK('{HostLock.Name}') IS NOT NULL") == "1" ? "held" : "";
    }

    private static string Describe(IReadOnlyList<SqlRow> status) =>
        string.Join(";", status.Select(r => $"{r.Text("Master_Host")}:{r.Text("Master_Port")} {r.Text("Slave_IO_Running")}/{r.Text("Slave_SQL_Running")}"));
}
