using System.Diagnostics;
using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The probe `local up` uses while the storage server starts: one rclone attempt that fails fast. With rclone's
/// default retries one refused connection kept it busy for over four minutes, so a storage server slow to start
/// (a loaded CI machine) failed its fixture long after the 30 s start timeout.
/// </summary>
public sealed class StorageProbeTests
{
    [Fact]
    public async Task A_storage_server_that_is_not_up_yet_is_reported_in_seconds_not_minutes()
    {
        var port = TestPorts.Reserve(1);
        var paths = new LocalPaths(Path.Combine(Path.GetTempPath(), $"hainfra-probe-{Guid.NewGuid():N}"), "probe");
        var storage = new LocalStorage(BackupDestination.S3, paths, RepoRoot.Path, port);
        var clock = Stopwatch.StartNew();
        Assert.False(await new Rclone(storage.Remote).TryMkdirAsync("probe", CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the probe took {clock.Elapsed.TotalSeconds:0.0} s against a closed port");
    }
}
