using System.Diagnostics;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Local;

/// <summary>
/// Long-running processes the local target starts and later stops: detached into their own session with stdio
/// redirected (so they neither hold our pipes nor die with our terminal), found again by PID file, and stopped
/// with SIGTERM only after checking the PID still runs our command line.
/// </summary>
public static class Daemon
{
    /// <summary>Starts <paramref name="program"/> detached; writes its PID to <paramref name="pidFile"/> unless null
    /// (mariadbd writes its own); appends its output to <paramref name="logFile"/>.</summary>
    public static async Task SpawnAsync(
        string program, IEnumerable<string> args, string? pidFile, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = pidFile is null
            ? "setsid \"$0\" \"$@\" </dev/null >>\"$HAINFRA_DAEMON_LOG\" 2>&1 &"
            : "setsid \"$0\" \"$@\" </dev/null >>\"$HAINFRA_DAEMON_LOG\" 2>&1 & echo $! > \"$HAINFRA_DAEMON_PID\"";
        // The fixed script only detaches; the program and its arguments reach it as positional parameters, never as text.
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        await ProcessRunner.RunAsync("/bin/sh", ["-c", script, program, .. args], CancellationToken.None,
        [
            new("HAINFRA_DAEMON_LOG", logFile),
            new("HAINFRA_DAEMON_PID", pidFile ?? ""),
            .. (environment ?? new Dictionary<string, string>()).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
        ]);
    }

    /// <summary>The PID in <paramref name="pidFile"/> when it is alive and its command line mentions every one of <paramref name="markers"/>.</summary>
    public static int? RunningPid(string pidFile, params string[] markers) =>
        ProcessControl.ReadPid(pidFile) is { } pid && ProcessControl.IsAlive(pid) && markers.All(m => ProcessControl.IsOurs(pid, m)) ? pid : null;

    /// <summary>SIGTERM and wait; false if it did not exit within <paramref name="timeout"/>.</summary>
    public static Task<bool> StopAsync(string pidFile, string marker, TimeSpan timeout, CancellationToken ct = default) =>
        StopAsync(pidFile, [marker], timeout, ct);

    /// <summary>SIGTERM and wait; false if it did not exit within <paramref name="timeout"/>.</summary>
    public static async Task<bool> StopAsync(string pidFile, string[] markers, TimeSpan timeout, CancellationToken ct = default)
    {
        if (RunningPid(pidFile, markers) is not { } pid)
        {
            return true;
        }

        ProcessControl.Terminate(pid);
        var clock = Stopwatch.StartNew();
        while (ProcessControl.IsAlive(pid))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(25, ct);
        }

        File.Delete(pidFile);
        return true;
    }
}
