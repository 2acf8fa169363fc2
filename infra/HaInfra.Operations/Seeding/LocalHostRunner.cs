using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Seeding;

/// <summary>Runs seeding commands as child processes of this one (the local target: every host is this machine).</summary>
public sealed class LocalHostRunner : IHostRunner
{
    public IRunningCommand Start(string host, CommandSpec command, bool stdin, bool stdout) =>
        new LocalCommand(ProcessRunner.Start(command, stdin, stdout, host));

    private sealed class LocalCommand(RunningProcess process) : IRunningCommand
    {
        public Stream? Stdin => process.Stdin;

        public Stream? Stdout => process.Stdout;

        public Task<CommandResult> Completion => process.Completion;

        public void Kill() => process.Kill();

        public void Dispose() => process.Dispose();
    }
}
