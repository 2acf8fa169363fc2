using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Seeding;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>A seed cut off at any point leaves the target in a state the next `up` detects and redoes cleanly.</summary>
public sealed class InterruptedSeedTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task Donor_stream_killed_midway_fails_clearly_and_the_next_up_redoes_the_seed()
    {
        await SeedHelpers.LoadBulkAsync(stack, 30);
        var topology = SeedHelpers.WithHost(stack.Topology, "az2", "db6");

        var error = await Assert.ThrowsAsync<OperationFailedException>(() =>
            stack.NewTarget(topology).UpAsync(new SeedOptions(SeedMethod.Physical, Runner: new KillSourceAfter(2 << 20))));

        Assert.Contains("copy stream", error.Problem);
        Assert.Contains("mariabackup on db2", error.Problem);
        Assert.NotNull(LocalSeedTarget.Unfinished(stack.Paths("db6")));
        Assert.False(File.Exists(stack.Paths("db6").InitializedMarker));

        var log = new MemoryStepLog();
        var result = await stack.NewTarget(topology, log).UpAsync(new SeedOptions(SeedMethod.Physical));

        Assert.Single(result.Seeds);
        Assert.Contains(log.Lines, l => l.Contains("the previous seed of db6 (physical from db2", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("checksum: db6 equals db2", StringComparison.Ordinal));
        Assert.Null(LocalSeedTarget.Unfinished(stack.Paths("db6")));
    }

    [MariaDbFact]
    public async Task Command_killed_during_the_seed_is_redone_by_the_next_up()
    {
        await SeedHelpers.LoadBulkAsync(stack, 30);
        var stacksDir = Path.Combine(stack.StateRoot, "stacks");
        Directory.CreateDirectory(stacksDir);
        var stackFile = File.ReadAllText(Path.Combine(RepoRoot.Stacks, "Pulumi.local.yaml"))
            .Replace("        - name: db2\n", "        - name: db7\n          size: small\n          dataDiskGb: 20\n        - name: db2\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(stacksDir, "Pulumi.local.yaml"), stackFile);

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using (var cli = StartCli(output, "local", "up", "--stacks-dir", stacksDir, "--state-dir", stack.StateRoot))
        {
            var marker = LocalSeedTarget.MarkerFile(stack.Paths("db7"));
            var clock = Stopwatch.StartNew();
            while (!File.Exists(marker) && !cli.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            Assert.True(File.Exists(marker), $"the CLI never started seeding db7 (exited: {cli.HasExited}): {string.Join("\n", output)}");
            cli.Kill();
            await cli.WaitForExitAsync();
        }

        var topology = SeedHelpers.WithHost(stack.Topology, "az2", "db7");
        var log = new MemoryStepLog();
        var result = await stack.NewTarget(topology, log).UpAsync();

        Assert.Contains(log.Lines, l => l.Contains("the previous seed of db7", StringComparison.Ordinal));
        Assert.Equal("db7", Assert.Single(result.Seeds).Target);
        Assert.Contains(log.Lines, l => l.StartsWith("checksum: db7 equals", StringComparison.Ordinal));
    }

    private static Process StartCli(System.Collections.Concurrent.ConcurrentQueue<string> output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hainfra.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HAINFRA_ROOT"] = RepoRoot.Path;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs commands for real, but kills a stream's source (the donor's mariabackup) once it has sent some bytes.</summary>
    private sealed class KillSourceAfter(long bytes) : IHostRunner
    {
        private readonly LocalHostRunner _inner = new();

        public IRunningCommand Start(string host, CommandSpec command, bool stdin, bool stdout)
        {
            var running = _inner.Start(host, command, stdin, stdout);
            return stdout ? new Killing(running, bytes) : running;
        }

        private sealed class Killing(IRunningCommand inner, long limit) : IRunningCommand
        {
            public Stream? Stdin => inner.Stdin;

            public Stream? Stdout { get; } = new CountingStream(inner.Stdout!, limit, inner.Kill);

            public Task<CommandResult> Completion => inner.Completion;

            public void Kill() => inner.Kill();

            public void Dispose() => inner.Dispose();
        }

        private sealed class CountingStream(Stream inner, long limit, Action kill) : Stream
        {
            private long _read;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => _read; set => throw new NotSupportedException(); }

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                var n = await inner.ReadAsync(buffer, cancellationToken);
                _read += n;
                if (_read > limit)
                {
                    kill();
                }

                return n;
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
