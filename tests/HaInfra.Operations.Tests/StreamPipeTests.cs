using System.Text;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Seeding;

namespace HaInfra.Operations.Tests;

/// <summary>The stream between a source and a sink command, with real processes.</summary>
public sealed class StreamPipeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-pipe-").FullName;
    private readonly LocalHostRunner _runner = new();

    [Fact]
    public async Task Copies_every_byte_and_keeps_head_and_tail()
    {
        var output = Path.Combine(_dir, "out");
        var source = new CommandSpec("/bin/sh", ["-c", "printf 'HEAD'; head -c 3000000 /dev/zero; printf 'TAIL'"]);
        var sink = new CommandSpec("/bin/sh", ["-c", $"cat > {output}"]);
        var reports = new List<SeedProgress>();

        var result = await StreamPipe.RunAsync(_runner, "donor", source, "target", sink, "copy", 3_000_008, new SyncProgress(reports), CancellationToken.None, captureEnds: true);

        Assert.Equal(3_000_008, result.Bytes);
        Assert.Equal(3_000_008, new FileInfo(output).Length);
        Assert.StartsWith("HEAD", Encoding.ASCII.GetString(result.Head), StringComparison.Ordinal);
        Assert.EndsWith("TAIL", Encoding.ASCII.GetString(result.Tail), StringComparison.Ordinal);
        Assert.Equal(StreamPipe.TailBytes, result.Tail.Length);
        Assert.Equal(3_000_008, reports[^1].Bytes);
    }

    [Fact]
    public async Task Kernel_splice_moves_every_byte_without_looking_at_them()
    {
        var output = Path.Combine(_dir, "spliced");
        var source = new CommandSpec("/bin/sh", ["-c", "head -c 5000000 /dev/urandom | tee " + Path.Combine(_dir, "original")]);
        var sink = new CommandSpec("/bin/sh", ["-c", $"cat > {output}"]);

        var result = await StreamPipe.RunAsync(_runner, "donor", source, "target", sink, "copy", 0, null, CancellationToken.None);

        Assert.Equal(5_000_000, result.Bytes);
        Assert.Empty(result.Head);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "original")), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_source_that_dies_midway_fails_the_stream_with_its_error(bool captureEnds)
    {
        var source = new CommandSpec("/bin/sh", ["-c", "head -c 100000 /dev/zero; echo 'donor went away' >&2; exit 3"]);
        var sink = new CommandSpec("/bin/sh", ["-c", "cat > /dev/null"]);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            StreamPipe.RunAsync(_runner, "donor", source, "target", sink, "copy", 0, null, CancellationToken.None, captureEnds));

        Assert.Contains("sh on donor exited with 3", error.Problem);
        Assert.Contains("donor went away", error.Problem);
        Assert.Contains("run the command again", error.Fix);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sink_that_fails_stops_the_source(bool captureEnds)
    {
        var source = new CommandSpec("/bin/sh", ["-c", "cat /dev/zero"]);
        var sink = new CommandSpec("/bin/sh", ["-c", "head -c 1000 > /dev/null; echo 'disk full' >&2; exit 1"]);

        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            StreamPipe.RunAsync(_runner, "donor", source, "target", sink, "copy", 0, null, CancellationToken.None, captureEnds));

        Assert.Contains("disk full", error.Problem);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class SyncProgress(List<SeedProgress> reports) : IProgress<SeedProgress>
    {
        public void Report(SeedProgress value) => reports.Add(value);
    }
}
