using HaInfra.Operations.Processes;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>The one process runner: argument lists, captured outputs, and cancellation that ends the whole process tree.</summary>
public class ProcessRunnerTests
{
    [Fact]
    public void Arguments_are_passed_as_a_list_never_through_a_shell()
    {
        var result = ProcessRunner.Run("printf", "%s|", "a b", "$HOME", "; echo injected");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|; echo injected|", result.Stdout);
    }

    [Fact]
    public async Task Cancelling_kills_the_program_and_its_children()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"hainfra-runner-{Guid.NewGuid():N}");
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync("bash", ["-c", "sleep 60 & echo $! > \"$0\"; wait", pidFile], cancel.Token);
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            await Task.Delay(20);
        }

        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await ProcessState.ExitsWithinAsync(child, TimeSpan.FromSeconds(2)), "the child sleep survived the cancellation");
        File.Delete(pidFile);
    }

    [Fact]
    public void The_stderr_tail_keeps_the_last_lines_for_an_error_message()
    {
        var result = ProcessRunner.Run("bash", "-c", "for i in $(seq 1 30); do echo line$i >&2; done; exit 3");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(string.Join("\n", Enumerable.Range(16, 15).Select(i => $"line{i}")), result.StderrTail());
    }
}
