namespace HaInfra.Cli;

/// <summary>
/// For the reliability suite's interrupted-operations drill: HAINFRA_DRILL_KILL_AFTER_STEP=NAME[#N] makes this
/// process kill itself with SIGKILL right after printing its Nth step called NAME (default the first), as a crash
/// or an operator's kill -9 would end it there. Unset, it costs one dictionary update per step.
/// </summary>
public static class DrillFailpoint
{
    private const string Variable = "HAINFRA_DRILL_KILL_AFTER_STEP";
    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);
    private static readonly Dictionary<string, int> Seen = new(StringComparer.Ordinal);

    public static void AfterStep(string step)
    {
        if (Target is null)
        {
            return;
        }

        var count = Seen[step] = Seen.GetValueOrDefault(step) + 1;
        var (name, nth) = Target.Split('#') is [var n, var k] && int.TryParse(k, out var parsed) ? (n, parsed) : (Target, 1);
        if (name == step && nth == count)
        {
            Console.Out.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }
}
