using System.Diagnostics;

namespace HaInfra.Operations.Seeding;

/// <summary>Runs seeding commands as child processes of this one (the local target: every host is this machine).</summary>
public sealed class LocalHostRunner : IHostRunner
{
    private const int StderrTailLines = 15;

    public IRunningCommand Start(string host, CommandSpec command, bool stdin, bool stdout)
    {
        var start = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = stdin,
            RedirectStandardOutput = stdout,
            RedirectStandardError = true,
        };
        foreach (var arg in command.Args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command.Program}");
        return new LocalCommand(host, command, process);
    }

    private sealed class LocalCommand : IRunningCommand
    {
        private readonly Process _process;

        public LocalCommand(string host, CommandSpec command, Process process)
        {
            _process = process;
            Stdin = process.StartInfo.RedirectStandardInput ? process.StandardInput.BaseStream : null;
            Stdout = process.StartInfo.RedirectStandardOutput ? process.StandardOutput.BaseStream : null;
            Completion = WaitAsync(host, command);
        }

        public Stream? Stdin { get; }

        public Stream? Stdout { get; }

        public Task<CommandResult> Completion { get; }

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

        public void Dispose() => _process.Dispose();

        private async Task<CommandResult> WaitAsync(string host, CommandSpec command)
        {
            // stderr is drained continuously so a chatty tool (mariabackup logs every file) never blocks on a full pipe.
            var tail = new Queue<string>();
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync()) is not null)
            {
                tail.Enqueue(line);
                if (tail.Count > StderrTailLines)
                {
                    tail.Dequeue();
                }
            }

            await _process.WaitForExitAsync();
            return new CommandResult(host, command, _process.ExitCode, string.Join("\n", tail.Select(l => "    " + l)));
        }
    }
}
