using HaInfra.Operations.Backups;
using HaInfra.Operations.Failover;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// A switchover that promotes the backup host while a backup runs on it: the race the switchover's hold check cannot
/// close (it may look just before the backup stops the applier). The backup then records nothing it cannot stand by.
/// </summary>
public sealed class BackupDuringRoleChangeTests(BackedUpLocalServers stack) : IClassFixture<BackedUpLocalServers>
{
    [MariaDbFact]
    public async Task A_backup_whose_host_is_promoted_while_it_runs_records_no_backup_and_names_the_cause()
    {
        await stack.NewTarget(stack.Topology).UpAsync();
        var backups = stack.Backups;
        var host = backups.BackupHost.Name;
        Assert.NotEqual(stack.Target.Topology.Primary.Name, host);
        var pause = Path.Combine(stack.StateRoot, "pause-after-stream");
        await File.WriteAllTextAsync(pause, "");
        Task<Operations.Processes.ProcessResult>? run = null;
        try
        {
            // The race: the switchover has checked its candidate (its applier running) when the backup stops that
            // applier and streams its copy; then the switchover promotes the backup host, which takes a write.
            var switchover = new Switchover(stack.Target.RoleChange())
            {
                BeforeStep = async step =>
                {
                    if (step != "claim")
                    {
                        return;
                    }

                    run = backups.RunScriptAsync("full", new Dictionary<string, string> { ["HAINFRA_DRILL_PAUSE_AFTER_STEP"] = $"stream:{pause}" }, CancellationToken.None);
                    var deadline = DateTime.UtcNow.AddSeconds(45);
                    while (!File.Exists(pause + ".reached") && !run.IsCompleted && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(100);
                    }

                    Assert.True(File.Exists(pause + ".reached"), "the backup never reached its stream step");
                },
            };
            var promoted = await switchover.RunAsync(host, TimeSpan.FromSeconds(45), "test (switchover during a backup)");
            Assert.Equal(host, promoted.Term.Primary);
            await stack.ExecuteAsync(host, "CREATE DATABASE IF NOT EXISTS during_backup", "CREATE TABLE IF NOT EXISTS during_backup.t (id INT PRIMARY KEY)",
                "INSERT INTO during_backup.t VALUES (1)");
        }
        finally
        {
            File.Delete(pause);
        }

        Assert.NotNull(run);
        var result = await run!;
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{host} is no longer a held replica (promoted", result.Stderr);
        Assert.Contains("no manifest was written, it does not count as a backup", result.Stderr);
        Assert.DoesNotContain("step manifest", result.Stderr);
        var id = result.Stderr.Split('\n').Select(l => l.Split("step stream: ", 2)).Where(p => p.Length == 2).Select(p => p[1].Split(' ')[0]).Single();
        var catalog = await BackupCatalog.LoadAsync(backups.Storage, CancellationToken.None);
        Assert.DoesNotContain(catalog.Backups, b => id.EndsWith(b.Id, StringComparison.Ordinal));

        // The promoted host stays a writable primary: the backup restarted no applier on it.
        Assert.Equal("0", await stack.ScalarAsync(host, "SELECT @@read_only"));
        Assert.Equal("0", await stack.ScalarAsync(host, "SELECT COUNT(*) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING' AND VARIABLE_VALUE = 'ON'"));
    }
}
