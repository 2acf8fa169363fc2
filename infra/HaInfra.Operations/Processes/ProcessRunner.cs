using System.Diagnostics;

namespace HaInfra.Operations.Processes;

/// <summary>How a program ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The last lines of stderr, for an error message.</summary>
    public string StderrTail(int lines = 15) => string.Join("\n", Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}

/// <summary>
/// Runs a program with an argument list (never a shell string) to its end. Both outputs are captured and read
/// concurrently, so neither pipe can fill and stall it; or, for installers, left on this process's terminal.
/// Cancellation kills the program's whole process tree. Programs streaming into each other: <see cref="ProcessPipeline"/>,
/// which starts its stages with posix_spawn to wire them together; every other process starts here.
/// </summary>
public static class ProcessRunner
{
    /// <param name="environment">Variables to set; a null value removes the variable from the inherited environment.</param>
    public static async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> args, CancellationToken ct, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        using var process = Launch(StartInfo(program, args, environment, capture: true));
        using var kill = ct.Register(() => KillTree(process));
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary><see cref="RunAsync"/> for the few synchronous callers (a df, a key generation).</summary>
    public static ProcessResult Run(string program, params string[] args) =>
        RunAsync(program, args, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs a program whose output goes to this process's own stdout and stderr (an installer); returns its exit code.</summary>
    public static async Task<int> RunOnTerminalAsync(string program, IEnumerable<string> args, CancellationToken ct)
    {
        using var process = Launch(StartInfo(program, args, null, capture: false));
        using var kill = ct.Register(() => KillTree(process));
        await process.WaitForExitAsync(CancellationToken.None);
        ct.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    /// <summary>
    /// Starts a program whose stdin and/or stdout are streams (a stage of a pipeline); its stderr is kept for the
    /// error message.
    /// </summary>
    /// <param name="host">Where it runs, for messages.</param>
    public static RunningProcess Start(
        CommandSpec command, bool stdin, bool stdout, string host = "this machine", IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var start = StartInfo(command.Program, command.Args, environment, capture: false);
        start.RedirectStandardInput = stdin;
        start.RedirectStandardOutput = stdout;
        start.RedirectStandardError = true;
        return new RunningProcess(host, command, Launch(start));
    }

    /// <summary>Starts the process; a program that cannot be started is an <see cref="OperationFailedException"/> naming it.</summary>
    private static Process Launch(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OperationFailedException($"cannot start {start.FileName}: {e.Message}",
                $"install {Path.GetFileName(start.FileName)} (scripts/install-prereqs installs every tool the toolkit runs).");
        }
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string?>>? environment, bool capture)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = capture, RedirectStandardError = capture };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        ApplyEnvironment(start.Environment, environment);
        return start;
    }

    /// <summary>Sets each variable of <paramref name="overrides"/> in <paramref name="variables"/>; a null value removes it.</summary>
    internal static void ApplyEnvironment(IDictionary<string, string?> variables, IEnumerable<KeyValuePair<string, string?>>? overrides)
    {
        foreach (var (name, value) in overrides ?? [])
        {
            if (value is null)
            {
                variables.Remove(name);
            }
            else
            {
                variables[name] = value;
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
