using System.Security.Cryptography;
using HaInfra.Operations.Processes;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>Programs streaming into each other from argument lists, with real processes.</summary>
public sealed class ProcessPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-pipeline-").FullName;

    [Fact]
    public async Task Every_byte_reaches_the_last_stage_and_the_digested_junction_is_hashed_and_counted()
    {
        var original = Path.Combine(_dir, "original");
        var output = Path.Combine(_dir, "out");

        var outcome = await new ProcessPipeline(
            new CommandSpec("sh", ["-c", $"head -c 3000000 /dev/urandom | tee {original}"]),
            new CommandSpec("cat", []),
            new CommandSpec("sh", ["-c", $"cat > {output}"])) { DigestAfter = 0 }.RunAsync(CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(3_000_000, outcome.DigestBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(original))), outcome.Sha256);
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task The_digest_covers_the_whole_stream_even_when_a_later_stage_gives_up()
    {
        var original = Path.Combine(_dir, "original");

        var outcome = await new ProcessPipeline(
            new CommandSpec("sh", ["-c", $"head -c 3000000 /dev/urandom | tee {original}"]),
            new CommandSpec("sh", ["-c", "head -c 10 >/dev/null; echo 'bad header' >&2; exit 1"])) { DigestAfter = 0 }.RunAsync(CancellationToken.None);

        Assert.Equal(1, outcome.Failed!.ExitCode);
        Assert.Equal(3_000_000, outcome.DigestBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(original))), outcome.Sha256);
    }

    [Fact]
    public async Task Arguments_and_environment_reach_each_stage_without_a_shell()
    {
        var outcome = await new ProcessPipeline(
            new CommandSpec("printf", ["%s|%s", "a b; echo injected", "$HOME"]),
            new CommandSpec("sh", ["-c", "cat; printf '|%s' \"$PIPELINE_VALUE\""]))
        { Environment = [new("PIPELINE_VALUE", "from the environment")], DigestAfter = 1 }.RunAsync(CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("a b; echo injected|$HOME|from the environment"u8)), outcome.Sha256);
    }

    [Fact]
    public async Task The_most_upstream_stage_that_failed_on_its_own_is_blamed()
    {
        var outcome = await new ProcessPipeline(
            new CommandSpec("sh", ["-c", "printf partial; echo 'storage went away' >&2; exit 3"]),
            new CommandSpec("sh", ["-c", "cat >/dev/null; echo 'truncated input' >&2; exit 4"]),
            new CommandSpec("cat", [])).RunAsync(CancellationToken.None);

        Assert.Equal(3, outcome.Failed!.ExitCode);
        Assert.Contains("storage went away", outcome.Failed.Describe(), StringComparison.Ordinal);
        Assert.Equal(4, outcome.Stages[1].ExitCode);
    }

    [Fact]
    public async Task A_sink_that_fails_is_blamed_not_the_writers_stopped_because_of_it()
    {
        var outcome = await new ProcessPipeline(
            new CommandSpec("yes", ["a long stream"]),
            new CommandSpec("cat", []),
            new CommandSpec("sh", ["-c", "head -c 10 >/dev/null; echo 'disk full' >&2; exit 5"])).RunAsync(CancellationToken.None);

        Assert.Equal(5, outcome.Failed!.ExitCode);
        Assert.Contains("disk full", outcome.Failed.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_that_stops_reading_early_fails_the_pipeline_even_with_exit_zero()
    {
        var outcome = await new ProcessPipeline(new CommandSpec("yes", []), new CommandSpec("head", ["-c", "10"])).RunAsync(CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("stopped reading before the end", outcome.Failed!.Describe(), StringComparison.Ordinal);
        Assert.Equal("head", outcome.Failed.Command.Program);
    }

    [Fact]
    public async Task A_missing_program_is_named_and_the_stages_already_started_are_ended()
    {
        var pidFile = Path.Combine(_dir, "first.pid");
        var run = new ProcessPipeline(
            new CommandSpec("sh", ["-c", $"echo $$ > {pidFile}; exec sleep 60"]),
            new CommandSpec("/nonexistent/hainfra-tool", [])).RunAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => run);
        Assert.Contains("/nonexistent/hainfra-tool", error.Message, StringComparison.Ordinal);
        await AssertEndsAsync(pidFile);
    }

    [Fact]
    public async Task Cancelling_kills_every_stage_and_its_children()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        using var cancel = new CancellationTokenSource();
        var run = new ProcessPipeline(
            new CommandSpec("sh", ["-c", $"sleep 60 & echo $! > {pidFile}; wait"]),
            new CommandSpec("cat", [])).RunAsync(cancel.Token);
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertEndsAsync(pidFile);
    }

    private static async Task AssertEndsAsync(string pidFile)
    {
        for (var i = 0; i < 50 && !File.Exists(pidFile); i++)
        {
            await Task.Delay(20);
        }

        // No pid written (the file missing, or created by the redirection but still empty): it was ended before it could write.
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        Assert.True(await ProcessState.ExitsWithinAsync(pid, TimeSpan.FromSeconds(2)), $"process {pid} outlived the pipeline");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
