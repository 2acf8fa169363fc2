using HaInfra.Operations.Local;

namespace HaInfra.Operations.Tests;

/// <summary>The state directory's lock: a second command is refused with the holder named, and the lock is free again after.</summary>
public sealed class StateLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hainfra-lock-").FullName;

    [Fact]
    public void A_second_command_is_refused_with_the_holders_pid_and_command_line()
    {
        var paths = new LocalPaths(_root, "lockstack");
        using (StateLock.Acquire(paths))
        {
            var error = Assert.Throws<OperationFailedException>(() => StateLock.Acquire(paths));
            Assert.Contains($"another hainfra command is working on {paths.Root}: pid {Environment.ProcessId} on {Environment.MachineName} since ", error.Problem);
            Assert.Contains(" UTC: ", error.Problem);
        }

        using var again = StateLock.Acquire(paths);
        Assert.True(File.Exists(paths.LockFile + ".holder"));
    }

    [Fact]
    public void Releasing_after_the_state_directory_was_purged_is_not_an_error()
    {
        var paths = new LocalPaths(_root, "purged");
        var held = StateLock.Acquire(paths);
        Directory.Delete(paths.Root, recursive: true);

        held.Dispose();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
