using System.Diagnostics;

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
    private const int BufferSize = 1 << 20;

    public sealed record Result(long Bytes, TimeSpan Elapsed, byte[] Head, byte[] Tail);

    public static async Task<Result> RunAsync(
        IHostRunner runner, string sourceHost, CommandSpec source, string sinkHost, CommandSpec sink,
        string step, long estimatedTotal, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        using var sinkCommand = runner.Start(sinkHost, sink, stdin: true, stdout: false);
        using var sourceCommand = runner.Start(sourceHost, source, stdin: false, stdout: true);
        var clock = Stopwatch.StartNew();
        var head = new MemoryStream();
        var tail = new byte[TailBytes];
        var tailLength = 0;
        long bytes = 0;
        var lastReport = TimeSpan.Zero;
        try
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await sourceCommand.Stdout!.ReadAsync(buffer, ct)) > 0)
            {
                await sinkCommand.Stdin!.WriteAsync(buffer.AsMemory(0, read), ct);
                if (head.Length < HeadBytes)
                {
                    head.Write(buffer, 0, (int)Math.Min(read, HeadBytes - head.Length));
                }

                tailLength = KeepTail(tail, tailLength, buffer.AsSpan(0, read));

                bytes += read;
                if (clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
                {
                    lastReport = clock.Elapsed;
                    progress?.Report(new SeedProgress(step, bytes, estimatedTotal, clock.Elapsed));
                }
            }

            sinkCommand.Stdin!.Close();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            sourceCommand.Kill();
            sinkCommand.Kill();
            var sourceEnd = await sourceCommand.Completion;
            var sinkEnd = await sinkCommand.Completion;
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new OperationFailedException(
                $"the {step} stream broke after {SeedProgress.Size(bytes)}: {(sinkEnd.Succeeded ? sourceEnd : sinkEnd).Describe()}",
                "the target was left unfinished; run the command again to redo it from the start.");
        }

        var results = await Task.WhenAll(sourceCommand.Completion, sinkCommand.Completion);
        var failed = results.FirstOrDefault(r => !r.Succeeded);
        if (failed is not null)
        {
            throw new OperationFailedException(
                $"the {step} stream failed after {SeedProgress.Size(bytes)}: {failed.Describe()}",
                "the target was left unfinished; fix the cause, then run the command again to redo it from the start.");
        }

        progress?.Report(new SeedProgress(step, bytes, Math.Max(bytes, estimatedTotal), clock.Elapsed));
        return new Result(bytes, clock.Elapsed, head.ToArray(), tail[..tailLength]);
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
