using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;

namespace HaInfra.IntegrationTests;

/// <summary>What the next restore finds after a killed one: its server stopped, its directory kept and named.</summary>
public class InterruptedRestoreTests
{
    [Fact]
    public async Task A_killed_restores_server_is_stopped_and_every_unfinished_directory_is_named_and_kept()
    {
        var root = Directory.CreateTempSubdirectory("hainfra-it-restores-").FullName;
        var running = Path.Combine(root, InterruptedRestores.Prefix + "a");
        var finished = Path.Combine(root, InterruptedRestores.Prefix + "b");
        var empty = Path.Combine(root, InterruptedRestores.Prefix + "c");
        try
        {
            Directory.CreateDirectory(running);
            await using var server = await ScratchServer.StartAsync("killed restore", running, initialize: true, CancellationToken.None);
            var probe = new LocalServer("probe", new HostPaths(running), MariaDbBinaries.Require());
            var pid = probe.RunningPid;
            Assert.NotNull(pid);
            Directory.CreateDirectory(finished);
            await InterruptedRestores.MarkDoneAsync(finished, "done", CancellationToken.None);
            Directory.CreateDirectory(empty);
            var log = new MemoryStepLog();

            await InterruptedRestores.StopAsync(root, log, CancellationToken.None);

            Assert.Null(probe.RunningPid);
            Assert.Contains(log.Lines, l => l.Contains(running, StringComparison.Ordinal) && l.Contains($"pid {pid}", StringComparison.Ordinal));
            Assert.Contains(log.Lines, l => l.Contains(empty, StringComparison.Ordinal) && !l.Contains("pid", StringComparison.Ordinal));
            Assert.DoesNotContain(log.Lines, l => l.Contains(finished, StringComparison.Ordinal));
            Assert.True(Directory.Exists(running) && Directory.Exists(empty) && Directory.Exists(finished), "a restore directory was removed");
        }
        finally
        {
            await ScratchServer.StopLeftoverAsync(running, CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }
}
