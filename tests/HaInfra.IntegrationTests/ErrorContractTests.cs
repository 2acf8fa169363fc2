using System.Text.RegularExpressions;

namespace HaInfra.IntegrationTests;

/// <summary>
/// No user action prints a .NET stack trace: bad input is exit 2 with the value named, a failed operation exit 1 with
/// what to do, both from the one top-level mapping. Each verb here is driven the way a user mistypes it.
/// </summary>
public sealed partial class ErrorContractTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("hainfra-errors-").FullName;

    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["local", "reseed", "nosuch"], 2, "has no host 'nosuch'" },
        { ["local", "rejoin", "nosuch"], 2, "has no host 'nosuch'" },
        { ["local", "switchover", "--to", "nosuch"], 2, "--to nosuch" },
        { ["local", "failover", "--to", "nosuch"], 2, "--to nosuch" },
        { ["local", "switchover", "--deadline", "1"], 2, "--deadline = 1" },
        { ["local", "cut", "nosuch"], 2, "nosuch: not a site" },
        { ["local", "load", "check", "--report", "/nonexistent/writes.json"], 2, "/nonexistent/writes.json" },
        { ["render", "--stack", "local", "--out", "/proc/hainfra-no-such-dir"], 1, "/proc/hainfra-no-such-dir" },
        { ["local", "monitor", "--once"], 1, "is not realized here" },
        { ["local", "switchover"], 1, "is not realized here" },
        { ["local", "load", "--seconds", "1"], 1, "has no writer endpoint here" },
        { ["local", "backup", "run", "full"], 2, "hainfra:backup.enabled = false" },
        { ["local", "backup", "list"], 2, "hainfra:backup.enabled = false" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_mistake_gets_its_exit_code_the_value_named_and_no_stack_trace(string[] args, int exit, string named)
    {
        var (code, stdout, stderr) = CliTests.Run(args[0] == "local" ? [.. args, "--state-dir", _state] : args);

        Assert.True(code == exit, $"exit {code}, expected {exit}; stderr: {stderr}");
        Assert.Contains(named, stderr);
        Assert.DoesNotMatch(StackFrame(), stderr + stdout);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [GeneratedRegex(@"(?m)^\s+at [\w.<>`]+[.(]")]
    private static partial Regex StackFrame();
}
