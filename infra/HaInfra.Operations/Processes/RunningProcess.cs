using System.Diagnostics;

namespace HaInfra.Operations.Processes;

/// <summary>
/// A started program whose stdin and stdout may be streams for a pipeline. Its stderr is drained as it comes (a
/// chatty tool such as mariabackup never blocks on a full pipe) and its last lines kept for the error message.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process _process;

    internal RunningProcess(string host, CommandSpec command, Process process)
    {
        _process = process;
        Command = command;
        Stdin = process.StartInfo.RedirectStandardInput ? process.StandardInput.BaseStream : null;
        Stdout = process.StartInfo.RedirectStandardOutput ? process.StandardOutput.BaseStream : null;
        Completion = WaitAsync(host, command);
    }

    public CommandSpec Command { get; }

    public Stream? Stdin { get; }

    public Stream? Stdout { get; }

    public Task<CommandResult> Completion { get; }

    /// <summary>Kills the program and everything it started; nothing if it has already exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Kills the program if it still runs; true if it did (its failure is then ours, not its own).</summary>
    public bool StopIfRunning()
    {
        if (_process.HasExited)
        {
            return false;
        }

        Kill();
        return true;
    }

    public void Dispose() => _process.Dispose();

    private async Task<CommandResult> WaitAsync(string host, CommandSpec command)
    {
        var tail = new Queue<string>();
        string? line;
        while ((line = await _process.StandardError.ReadLineAsync()) is not null)
        {
            tail.Enqueue(line);
            if (tail.Count > CommandResult.TailLines)
            {
                tail.Dequeue();
            }
        }

        await _process.WaitForExitAsync();
        return new CommandResult(host, command, _process.ExitCode, CommandResult.Tail(tail));
    }
}
