using HaInfra.Operations.Processes;
namespace HaInfra.Operations.Seeding;

/// <summary>
/// Runs commands on a host: the seam between seeding steps and where they execute. The local target runs them
/// here; a remote runner (SSH, a cloud agent) fills the same seam for cloud hosts.
/// </summary>
public interface IHostRunner
{
    /// <param name="stdin">Give the command a writable stdin (the sink of a stream).</param>
    /// <param name="stdout">Give the command a readable stdout (the source of a stream).</param>
    IRunningCommand Start(string host, CommandSpec command, bool stdin, bool stdout);
}

/// <summary>A started command: its streams, its completion, and a way to stop it.</summary>
public interface IRunningCommand : IDisposable
{
    Stream? Stdin { get; }

    Stream? Stdout { get; }

    Task<CommandResult> Completion { get; }

    void Kill();
}
