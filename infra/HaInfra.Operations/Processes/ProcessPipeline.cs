using System.Collections;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace HaInfra.Operations.Processes;

/// <summary>
/// Programs streaming into each other, as `a | b | c` would in a shell but from argument lists: no shell, no
/// quoting, each stage's stderr kept apart, and the stage that failed named. Adjacent stages share a kernel pipe
/// (posix_spawn), so their bytes never pass through this process; one junction can instead be hashed and counted
/// here on the way (a stored object's sha256 and size). The first stage reads /dev/null, the last writes to
/// /dev/null unless its output is the hashed junction. All stages form one process group, which cancellation kills.
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

    /// <summary>Runs every stage to its end. Cancellation kills every stage and what it started.</summary>
    public async Task<PipelineOutcome> RunAsync(CancellationToken ct)
    {
        var stderrFiles = _stages.Select(_ => Path.Combine(Path.GetTempPath(), $"hainfra-stage-{Guid.NewGuid():N}.err")).ToArray();
        var parentEnds = new List<int>();
        var pids = new List<int>();
        try
        {
            var (digestFrom, digestTo) = Spawn(stderrFiles, parentEnds, pids);
            if (digestTo >= 0)
            {
                parentEnds.Remove(digestTo);
            }

            return await CompleteAsync(pids, digestFrom, digestTo, stderrFiles, ct);
        }
        finally
        {
            parentEnds.ForEach(Libc.Close);
            foreach (var file in stderrFiles)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Starts every stage wired to its neighbours; returns this process's ends of the hashed junction (or -1).</summary>
    private (int From, int To) Spawn(string[] stderrFiles, List<int> parentEnds, List<int> pids)
    {
        var environment = EnvironmentBlock();
        var stdin = Libc.Source.File("/dev/null");
        var (digestFrom, digestTo) = (-1, -1);
        for (var i = 0; i < _stages.Length; i++)
        {
            Libc.Source stdout;
            var next = Libc.Source.File("/dev/null");
            var childEnds = new List<int>();
            if (DigestAfter == i)
            {
                var toUs = Libc.Pipe();
                (stdout, digestFrom) = (Libc.Source.Descriptor(toUs.Write), toUs.Read);
                childEnds.Add(toUs.Write);
                parentEnds.Add(toUs.Read);
                if (i + 1 < _stages.Length)
                {
                    var fromUs = Libc.Pipe();
                    (next, digestTo) = (Libc.Source.Descriptor(fromUs.Read), fromUs.Write);
                    parentEnds.Add(fromUs.Write);   // handed to the pump, which closes it (and removes it) when done
                }
            }
            else if (i + 1 < _stages.Length)
            {
                var pipe = Libc.Pipe();
                (stdout, next) = (Libc.Source.Descriptor(pipe.Write), Libc.Source.Descriptor(pipe.Read));
                childEnds.Add(pipe.Write);
            }
            else
            {
                stdout = Libc.Source.File("/dev/null");
            }

            var (pid, errno) = Libc.Start(_stages[i].Program, _stages[i].Args, environment, stdin, stdout, Libc.Source.File(stderrFiles[i]),
                processGroup: pids.Count == 0 ? 0 : pids[0]);

            // This process keeps no copy of a child's end: a reader sees the end of its input only when every writer closed.
            childEnds.ForEach(Libc.Close);
            if (stdin.Path is null)
            {
                Libc.Close(stdin.Fd);
            }

            if (errno != 0)
            {
                if (next.Path is null)
                {
                    Libc.Close(next.Fd);
                }

                EndAll(pids);
                throw new OperationFailedException($"cannot start {_stages[i].Program}: {new System.ComponentModel.Win32Exception(errno).Message}",
                    $"install {Path.GetFileName(_stages[i].Program)} (scripts/install-prereqs installs every tool the toolkit runs).");
            }

            pids.Add(pid);
            stdin = next;
        }

        return (digestFrom, digestTo);
    }

    private async Task<PipelineOutcome> CompleteAsync(List<int> pids, int digestFrom, int digestTo, string[] stderrFiles, CancellationToken ct)
    {
        var exits = pids.Select(pid => Task.Factory.StartNew(() => Libc.Wait(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var cancelled = ct.Register(() => _ = Libc.Signal(-pids[0], Libc.SigKill));
        string? sha256 = null;
        long? digestBytes = null;
        var readerWentAway = -1;
        if (digestFrom >= 0)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long bytes = 0;
            var complete = await Task.Run(async () =>
            {
                await using var from = new FileStream(new SafeFileHandle(digestFrom, ownsHandle: false), FileAccess.Read, bufferSize: 0);
                await using var to = digestTo >= 0 ? new FileStream(new SafeFileHandle(digestTo, ownsHandle: false), FileAccess.Write, bufferSize: 0) : null;
                try
                {
                    return await PipePump.MoveAsync(from, to, chunk => { sha.AppendData(chunk.Span); bytes += chunk.Length; }, _ => { }, drainWhenReaderGoes: true);
                }
                catch (IOException)
                {
                    return false; // the stream broke; the stages' exits say why
                }
                finally
                {
                    if (digestTo >= 0)
                    {
                        // End of input for the next stage.
                        Libc.Close(digestTo);
                    }
                }
            }, CancellationToken.None);
            (sha256, digestBytes) = (Convert.ToHexStringLower(sha.GetHashAndReset()), bytes);
            readerWentAway = complete ? -1 : DigestAfter!.Value;
        }

        var codes = await Task.WhenAll(exits);
        await cancelled.DisposeAsync();
        ct.ThrowIfCancellationRequested();
        var results = _stages.Select((stage, i) => new CommandResult("this machine", stage, codes[i], StderrTail(stderrFiles[i]))).ToList();
        return new PipelineOutcome(results, Blame(results, readerWentAway), sha256, digestBytes);
    }

    /// <summary>
    /// The stage to name: the first, in the stream's order, that failed on its own. A stage fails on its own input
    /// only because of its writer, so the most upstream failure is the cause; a writer killed by SIGPIPE only lost
    /// its reader. With none, the stage that stopped reading before the end (exit 0 or not) is the one to name.
    /// </summary>
    private static CommandResult? Blame(List<CommandResult> results, int readerWentAway)
    {
        const int DiedOfSigPipe = 128 + Libc.SigPipe;
        if (results.FirstOrDefault(r => !r.Succeeded && r.ExitCode != DiedOfSigPipe) is { } failed)
        {
            return failed;
        }

        var cut = results.FindIndex(r => r.ExitCode == DiedOfSigPipe);
        cut = cut < 0 ? readerWentAway : readerWentAway < 0 ? cut : Math.Min(cut, readerWentAway);
        return cut >= 0 && cut + 1 < results.Count
            ? results[cut + 1] with { StderrTail = (results[cut + 1].StderrTail + "\n    (it stopped reading before the end of its input)").TrimStart('\n') }
            : null;
    }

    private IReadOnlyList<string> EnvironmentBlock()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        ProcessRunner.ApplyEnvironment(variables, Environment);
        return [.. variables.Select(v => $"{v.Key}={v.Value}")];
    }

    private static void EndAll(List<int> pids)
    {
        if (pids.Count > 0)
        {
            _ = Libc.Signal(-pids[0], Libc.SigKill);
            pids.ForEach(pid => Libc.Wait(pid));
        }
    }

    private static string StderrTail(string file) => File.Exists(file)
        ? CommandResult.Tail(File.ReadLines(file))
        : "";
}

/// <summary>How every stage of a pipeline ended, the stage to blame (null when all succeeded), and the digest.</summary>
public sealed record PipelineOutcome(IReadOnlyList<CommandResult> Stages, CommandResult? Failed, string? Sha256, long? DigestBytes)
{
    public bool Succeeded => Failed is null;
}
