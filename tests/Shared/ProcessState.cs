namespace HaInfra.Tests.Shared;

/// <summary>
/// Whether a process still runs, as the tests judge it: one that exited but is not yet reaped (a zombie: its parent
/// is gone and init has not collected it) counts as gone, as it does in ProcessControl.
/// </summary>
internal static class ProcessState
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Polls every 20 ms; true once the process is gone (or a zombie) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> ExitsWithinAsync(int pid, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
