using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The native CLI exactly as users run it, through ./hainfra (which builds the Native AOT binary when the checkout has
/// none): the same program text as the dll the other tests run, the same error contract, and the main job — a local
/// stack up, a switchover, status and down — with its JSON state, term store and background monitor, none of which
/// may depend on reflection the native build cannot do.
/// </summary>
public sealed class NativeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-native-").FullName;

    private static string Wrapper => Path.Combine(RepoRoot.Path, "hainfra");

    [Fact]
    public void Synth_prints_the_same_program_as_the_dll_and_bad_input_is_exit_2()
    {
        foreach (var stack in new[] { "prod", "dev" })
        {
            var native = Native("synth", "--stack", stack);
            var dll = CliTests.Run("synth", "--stack", stack);
            Assert.True(native.Exit == 0, native.Stderr);
            Assert.Equal(dll.Stdout, native.Stdout);
        }

        var bad = Native("local", "reseed", "nosuch", "--stack", "local", "--state-dir", _dir);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("nosuch", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }

    [Fact]
    public void The_local_stack_comes_up_switches_over_and_goes_down_through_the_native_binary()
    {
        var state = Path.Combine(_dir, "state");
        var port = TestPorts.Reserve(3 + 4);
        try
        {
            var up = Native("local", "up", "--stack", "local", "--state-dir", state, "--base-port", $"{port}");
            Assert.True(up.Exit == 0, up.Stdout + up.Stderr);
            Assert.True(File.Exists(Path.Combine(state, "local", "state.json")) || Directory.GetFiles(state, "state.json", SearchOption.AllDirectories).Length == 1);

            var switchover = Native("local", "switchover", "--stack", "local", "--state-dir", state);
            Assert.True(switchover.Exit == 0, switchover.Stdout + switchover.Stderr);

            var status = Native("local", "status", "--stack", "local", "--state-dir", state);
            Assert.True(status.Exit == 0, status.Stdout + status.Stderr);
            Assert.Contains("term 2", status.Stdout + status.Stderr);
        }
        finally
        {
            var down = Native("local", "down", "--stack", "local", "--state-dir", state);
            Assert.True(down.Exit == 0, down.Stdout + down.Stderr);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Native(params string[] args) =>
        Processes.Run(Wrapper, args, new Dictionary<string, string?> { ["HAINFRA_ROOT"] = null });
}
