using System.Text.Json.Nodes;
using HaInfra.Cli.Commands;
using HaInfra.Model;
using HaInfra.Model.Outputs;
using HaInfra.Operations;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The cloud bootstrap verb after a role change: it finds the live primary in the servers' hainfra.term rows (a cloud
/// stack has no local term store) and keeps it, instead of repointing it under the config's first host.
/// </summary>
public sealed class BootstrapAfterFailoverTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    private static readonly Secret AdminPassword = Secret.Generate();
    private static readonly Secret ReplicationPassword = Secret.Generate();

    [MariaDbFact]
    public async Task The_bootstrap_verb_keeps_a_live_primary_that_is_not_the_first_host()
    {
        await new Switchover(stack.Target.RoleChange()).RunAsync("db2", TimeSpan.FromSeconds(30), "test");
        foreach (var host in stack.Topology.Hosts)
        {
            await stack.ExecuteAsync(host.Name, "SET SESSION sql_log_bin = 0",
                "CREATE USER IF NOT EXISTS 'hainfra_admin'@'%' IDENTIFIED BY '" + AdminPassword.Reveal() + "' REQUIRE SSL",
                "GRANT ALL PRIVILEGES ON *.* TO 'hainfra_admin'@'%' WITH GRANT OPTION");
        }

        var environment = new Dictionary<string, string?>
        {
            [BootstrapCommand.AdminPasswordVariable] = AdminPassword.Reveal(),
            [BootstrapCommand.ReplicationPasswordVariable] = ReplicationPassword.Reveal(),
        };
        var log = new MemoryStepLog();
        var result = await BootstrapCommand.RunAsync(stack.Topology, Outputs(), "test outputs", environment, TimeSpan.FromSeconds(30), new ServerConnector(), log);

        Assert.Equal("db2", result.Term.Primary);
        Assert.Equal(2, result.Term.Term);
        Assert.Equal(["db1", "db3"], result.Verified);
        Assert.Equal("0", await stack.ScalarAsync("db2", "SELECT @@read_only"));
        Assert.Equal("1", await stack.ScalarAsync("db1", "SELECT @@read_only"));
        var db2Port = stack.Topology.Local.BasePort!.Value + 1;
        await using (var db1 = await stack.ConnectAsync("db1"))
        {
            Assert.Equal(db2Port, (await db1.QuerySingleAsync("SHOW SLAVE STATUS"))!.Number("Master_Port"));
        }

        Assert.DoesNotContain(log.Lines, l => l.StartsWith("replica: db2", StringComparison.Ordinal));
    }

    private string Outputs()
    {
        var state = LocalState.Load(stack.Target.Paths)!;
        return new JsonObject
        {
            [StackOutputNames.Hosts] = new JsonArray([.. stack.Topology.Sites.SelectMany(s => s.Hosts.Select(h => (JsonNode)new JsonObject
            {
                [StackOutputNames.Name] = h.Name,
                [StackOutputNames.Site] = s.Name,
                [StackOutputNames.InitialRole] = Spellings.Role.Of(h.Role),
                [StackOutputNames.PrivateIp] = "127.0.0.1",
                [StackOutputNames.PrivateDns] = "127.0.0.1",
                [StackOutputNames.Port] = state.Hosts[h.Name].Port,
            }))]),
            [StackOutputNames.Tls] = new JsonObject
            {
                [StackOutputNames.CaFile] = Path.Combine(stack.Target.Paths.TlsDir, TlsFiles.CaFile),
                [StackOutputNames.CaCertificate] = File.ReadAllText(Path.Combine(stack.Target.Paths.TlsDir, TlsFiles.CaFile)),
            },
        }.ToJsonString();
    }
}
