using System.Security.Cryptography;

namespace HaInfra.Operations.Processes;

/// <summary>
/// Programs streaming into each other, as `a | b | c` would in a shell but from argument lists: no shell, no
/// quoting, each stage's stderr kept apart, and the stage that failed named. One junction can be hashed and counted
/// on the way (a stored object's sha256 and size); the others move in the kernel. The last stage's output is read
/// and dropped unless it is the hashed junction.
/// </summary>
public sealed class ProcessPipeline
{
    private readonly CommandSpec[] _stages;

    public ProcessPipeline(params CommandSpec[] stages)
    {
        if (stages.Length == 0)
        {
            throw new ArgumentException("a pipeline needs at least one stage", nameof(stages));
        }

        _stages = stages;
    }

    /// <summary>Variables set for every stage; a null value removes one.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Environment { get; init; } = [];

    /// <summary>Hash and count the output of this stage (0-based) on its way to the next.</summary>
    public int? DigestAfter { get; init; }

    /// <summary>Runs every stage to its end. Cancellation kills every stage's process tree.</summary>
    public async Task<PipelineOutcome> RunAsync(CancellationToken ct)
    {
        var running = new List<RunningProcess>();
        try
        {
            for (var i = 0; i < _stages.Length; i++)
            {
                running.Add(ProcessRunner.Start(_stages[i], stdin: i > 0, stdout: true, environment: Environment));
            }

            return await RunStartedAsync(running, ct);
        }
        finally
        {
            foreach (var process in running)
            {
                process.Kill();
                process.Dispose();
            }
        }
    }

    private async Task<PipelineOutcome> RunStartedAsync(List<RunningProcess> running, CancellationToken ct)
    {
        var stoppedByUs = new bool[running.Count];
        var readerWentAway = new bool[running.Count];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long digestBytes = 0;
        var cancelled = ct.Register(() => running.ForEach(p => p.Kill()));
        var junctions = new Task[running.Count];
        for (var i = 0; i < running.Count; i++)
        {
            var at = i;
            Action<ReadOnlyMemory<byte>>? look = DigestAfter == at ? chunk => { sha.AppendData(chunk.Span); digestBytes += chunk.Length; } : null;
            junctions[i] = Task.Run(async () =>
            {
                var reader = at + 1 < running.Count ? running[at + 1] : null;
                bool complete;
                try
                {
                    complete = await PipePump.MoveAsync(running[at].Stdout!, reader?.Stdin, look, _ => { }, drainWhenReaderGoes: look is not null);
                }
                catch (IOException)
                {
                    complete = false;
                }

                if (!complete)
                {
                    // The reader went away (or the stream broke): nothing upstream can finish; stop it so it does
                    // not hang on a full pipe, and do not blame it for being stopped. Stages before the digested
                    // junction keep running: it drains them so the digest covers the whole object.
                    readerWentAway[at] = true;
                    var first = DigestAfter is { } digested && digested < at ? digested + 1 : 0;
                    for (var j = first; j <= at && at != DigestAfter; j++)
                    {
                        stoppedByUs[j] |= running[j].StopIfRunning();
                    }
                }

                reader?.Stdin!.Close();
            }, CancellationToken.None);
        }

        await Task.WhenAll(junctions);
        var results = new List<CommandResult>();
        foreach (var process in running)
        {
            results.Add(await process.Completion);
        }

        await cancelled.DisposeAsync();
        ct.ThrowIfCancellationRequested();
        return new PipelineOutcome(results, Blame(results, stoppedByUs, readerWentAway),
            DigestAfter is null ? null : Convert.ToHexStringLower(sha.GetHashAndReset()), DigestAfter is null ? null : digestBytes);
    }

    /// <summary>
    /// The stage to name: the first, in the stream's order, that failed on its own. A stage fails on its own input
    /// only because of its writer, so the most upstream failure is the cause; stages we stopped are not causes. With
    /// none, a stage that stopped reading before the end (exit 0 or not) is the one to name.
    /// </summary>
    private static CommandResult? Blame(List<CommandResult> results, bool[] stoppedByUs, bool[] readerWentAway)
    {
        for (var i = 0; i < results.Count; i++)
        {
            if (!results[i].Succeeded && !stoppedByUs[i])
            {
                return results[i];
            }
        }

        var cut = Array.IndexOf(readerWentAway, true);
        return cut >= 0 && cut + 1 < results.Count
            ? results[cut + 1] with { StderrTail = (results[cut + 1].StderrTail + "\n    (it stopped reading before the end of its input)").TrimStart('\n') }
            : null;
    }
}

/// <summary>How every stage of a pipeline ended, the stage to blame (null when all succeeded), and the digest.</summary>
public sealed record PipelineOutcome(IReadOnlyList<CommandResult> Stages, CommandResult? Failed, string? Sha256, long? DigestBytes)
{
    public bool Succeeded => Failed is null;
}
