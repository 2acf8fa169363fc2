using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Local;

/// <summary>Signals and liveness by PID. Only used on PIDs read from pid files of servers this target started.</summary>
internal static class ProcessControl
{
    /// <summary>True when <paramref name="pid"/> is alive and its command line mentions <paramref name="marker"/>
    /// (our local.cnf), so a recycled PID of some other process is never taken for our server.</summary>
    public static bool IsOurs(int pid, string marker)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return cmdline.Contains(marker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>PIDs of live processes whose command line mentions <paramref name="marker"/> (e.g. a datadir path).</summary>
    public static IReadOnlyList<int> FindByCommandLine(string marker) =>
        [.. Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && IsAlive(pid) && IsOurs(pid, marker))];

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    public static void Terminate(int pid)
    {
        if (Libc.Signal(pid, Libc.SigTerm) != 0)
        {
            var errno = Libc.LastError;
            if (errno != 3)
            {
                // ESRCH (3): already gone, which is what we wanted.
                throw new InvalidOperationException($"kill({pid}, SIGTERM) failed with errno {errno}");
            }
        }
    }

    /// <summary>SIGKILL: only for a server of ours that must stop accepting writes now (a fence), never as a shutdown.</summary>
    public static void KillHard(int pid)
    {
        if (Libc.Signal(pid, Libc.SigKill) != 0 && Libc.LastError is var errno && errno != 3)
        {
            throw new InvalidOperationException($"kill({pid}, SIGKILL) failed with errno {errno}");
        }
    }

    public static int? ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>For error messages: the process's program name and scheduler state from /proc (e.g. "prometheus, state D"),
    /// which tells a process stuck loading from disk (D) from one that runs but does not answer (S/R).</summary>
    public static string Describe(int pid) =>
        State(pid) is { } state ? $"pid {pid} ({state.Name}, state {state.State})" : $"pid {pid} (gone)";

    private static bool IsZombie(int pid) => State(pid)?.State == 'Z';

    private static (string Name, char State)? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            return (stat[(open + 1)..close], stat[close + 2]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
