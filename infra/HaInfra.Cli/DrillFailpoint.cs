namespace HaInfra.Cli;

/// <summary>
/// For the reliability suite's interrupted-operations drill: HAINFRA_DRILL_KILL_AFTER_STEP=NAME[#N] makes this
/// process kill itself with SIGKILL right after printing its Nth step called NAME (default the first), as a crash
/// or an operator's kill -9 would end it there. Unset, it does nothing.
/// </summary>
public static class DrillFailpoint
{
    private const string Variable = "HAINFRA_DRILL_KILL_AFTER_STEP";
    private static readonly (string Name, int Nth)? Target = Parse(Environment.GetEnvironmentVariable(Variable));
    private static readonly Dictionary<string, int> Seen = new(StringComparer.Ordinal);

    public static void AfterStep(string step)
    {
        if (Target is not { } target || target.Name != step)
        {
            return;
        }

        if ((Seen[step] = Seen.GetValueOrDefault(step) + 1) == target.Nth)
        {
            Console.Out.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    private static (string Name, int Nth)? Parse(string? value) => value switch
    {
        null or "" => null,
        _ when value.Split('#') is [var name, var nth] && int.TryParse(nth, out var n) => (name, n),
        _ => (value, 1),
    };
}
