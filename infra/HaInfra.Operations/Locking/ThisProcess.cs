using System.Globalization;

namespace HaInfra.Operations.Locking;

/// <summary>How a lock holder names itself, so a refused command can say who is in its way.</summary>
public static class ThisProcess
{
    /// <summary>"pid 1234 on ops-1 since 2026-12-07 11:40:02 UTC: hainfra bootstrap --stack prod".</summary>
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC: {CommandLine()}");

    /// <summary>The command line, program name first and without its directory (`hainfra local up --stack prod`).</summary>
    private static string CommandLine() =>
        string.Join(" ", Environment.GetCommandLineArgs().Select((a, i) => i == 0 ? Path.GetFileNameWithoutExtension(a) : a));
}
