using HaInfra.Operations.Local;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>local plan with one server stopped: that host is compared with its my.cnf on disk, and the plan says it is not running.</summary>
public sealed class LocalPlanStoppedTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task A_stopped_server_is_named_and_compared_with_its_file()
    {
        await new LocalServer("db3", stack.Paths("db3"), MariaDbBinaries.Require()).StopAsync(CancellationToken.None);

        var plan = await stack.Target.PlanAsync();

        Assert.Equal([LocalHostStatus.Running, LocalHostStatus.Running, LocalHostStatus.Stopped], plan.Hosts.Select(h => h.Status));
        Assert.All(plan.Hosts, h => Assert.Empty(h.Changes.Changes));
        Assert.True(plan.HasChanges, "a stopped server is something local up changes (it starts it)");
        var (exit, stdout, stderr) = CliTests.Run("local", "plan", "--stack", "local", "--state-dir", stack.StateRoot);
        Assert.True(exit == 0, stderr);
        Assert.Contains("db3  not running; compared with its my.cnf on disk: no changes", stdout);
        Assert.Contains("1 host(s) not running (local up starts them)", stdout);
    }
}
