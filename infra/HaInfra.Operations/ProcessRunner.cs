using System.Diagnostics;

namespace HaInfra.Operations;

/// <summary>How a program ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a program to its end with both outputs captured (read concurrently, so neither pipe can fill and stall it).</summary>
public static class ProcessRunner
{
    /// <param name="environment">Variables to set; a null value removes the variable from the inherited environment.</param>
    public static async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> args, CancellationToken ct, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
