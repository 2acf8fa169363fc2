using System.Diagnostics;

namespace HaInfra.IntegrationTests;

/// <summary>Runs a program to its end and returns its exit code and both outputs.</summary>
internal static class Processes
{
    /// <summary>Runs <paramref name="fileName"/> with extra environment variables; a null value removes the variable.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
