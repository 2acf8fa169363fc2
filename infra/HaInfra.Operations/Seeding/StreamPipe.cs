using System.Diagnostics;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Seeding;

/// <summary>
/// Streams a source command's stdout into a sink command's stdin, counting bytes for progress and keeping the
/// first and last bytes (a dump's header and trailer carry its position). Both commands must succeed; if either
/// fails the other is stopped.
/// </summary>
public static class StreamPipe
{
    public const int HeadBytes = 64 * 1024;
    public const int TailBytes = 64 * 1024;
    public sealed record Result(long Bytes, TimeSpan Elapsed, byte[] Head, byte[] Tail);

    /// <param name="captureEnds">Keep the stream's first and last bytes (a dump's position); otherwise the bytes
    /// move inside the kernel without passing through this process.</param>
    public static async Task<Result> RunAsync(
        IHostRunner runner, string sourceHost, CommandSpec source, string sinkHost, CommandSpec sink,
        string step, long estimatedTotal, IProgress<SeedProgress>? progress, CancellationToken ct, bool captureEnds = false)
    {
        using var sinkCommand = runner.Start(sinkHost, sink, stdin: true, stdout: false);
        using var sourceCommand = runner.Start(sourceHost, source, stdin: false, stdout: true);
        var clock = Stopwatch.StartNew();
        var ends = new Ends();
        long bytes = 0;
        var lastReport = TimeSpan.Zero;
        void Moved(long n)
        {
            bytes += n;
            if (clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
            {
                lastReport = clock.Elapsed;
                progress?.Report(new SeedProgress(step, bytes, estimatedTotal, clock.Elapsed));
            }
        }

        // Cancelling stops both commands, which ends a blocking move with EOF or EPIPE.
        var sinkWentAway = false;
        using (ct.Register(() => { sourceCommand.Kill(); sinkCommand.Kill(); }))
        {
            try
            {
                var complete = await PipePump.MoveAsync(sourceCommand.Stdout!, sinkCommand.Stdin!, captureEnds ? ends.Keep : null, Moved);
                if (!complete)
                {
                    sinkWentAway = true;
                    sourceCommand.Kill();
                }

                sinkCommand.Stdin!.Close();
            }
            catch (IOException)
            {
                sourceCommand.Kill();
                sinkCommand.Kill();
            }
        }

        ct.ThrowIfCancellationRequested();
        var (sourceEnd, sinkEnd) = (await sourceCommand.Completion, await sinkCommand.Completion);

        // Blame the side that failed first: the sink when it stopped reading (we then stopped the source), else the
        // source (a sink reading a cut-off stream fails only because of it), else the sink.
        var failed = sinkWentAway && !sinkEnd.Succeeded ? sinkEnd : !sourceEnd.Succeeded ? sourceEnd : !sinkEnd.Succeeded ? sinkEnd : null;
        if (failed is not null)
        {
            throw new OperationFailedException(
                $"the {step} stream failed after {SeedProgress.Size(bytes)}: {failed.Describe()}",
                "the target was left unfinished; fix the cause, then run the command again to redo it from the start.");
        }

        progress?.Report(new SeedProgress(step, bytes, Math.Max(bytes, estimatedTotal), clock.Elapsed));
        return new Result(bytes, clock.Elapsed, ends.Head.ToArray(), ends.Tail[..ends.TailLength]);
    }

    private sealed class Ends
    {
        public MemoryStream Head { get; } = new();

        public byte[] Tail { get; } = new byte[TailBytes];

        public int TailLength { get; set; }

        public void Keep(ReadOnlyMemory<byte> chunk)
        {
            if (Head.Length < HeadBytes)
            {
                Head.Write(chunk.Span[..(int)Math.Min(chunk.Length, HeadBytes - Head.Length)]);
            }

            TailLength = KeepTail(Tail, TailLength, chunk.Span);
        }
    }

    /// <summary>Appends <paramref name="chunk"/> to the tail window, keeping only its last <see cref="TailBytes"/>.</summary>
    private static int KeepTail(byte[] tail, int length, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return tail.Length;
        }

        var keep = Math.Min(length, tail.Length - chunk.Length);
        tail.AsSpan(length - keep, keep).CopyTo(tail);
        chunk.CopyTo(tail.AsSpan(keep));
        return keep + chunk.Length;
    }

    /// <summary>Runs one command to completion (no streams) and fails with its stderr if it fails.</summary>
    public static async Task RunToCompletionAsync(IHostRunner runner, string host, CommandSpec command, string step)
    {
        using var running = runner.Start(host, command, stdin: false, stdout: false);
        var result = await running.Completion;
        if (!result.Succeeded)
        {
            throw new OperationFailedException($"{step} failed: {result.Describe()}", "fix the cause, then run the command again; the target is redone from the start.");
        }
    }
}
