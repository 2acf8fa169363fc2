using HaInfra.Operations.Logging;

namespace HaInfra.Cli;

/// <summary>Prints steps as they complete, one line each: "  step      detail".</summary>
public sealed class ConsoleStepLog(ConsoleSeedProgress? progress = null) : IStepLog
{
    private readonly Lock _gate = new();

    public void Step(string step, string detail)
    {
        lock (_gate)
        {
            progress?.Finish();
            Console.Out.WriteLine($"  {step,-9} {Indent(detail)}");
            DrillFailpoint.AfterStep(step);
        }
    }

    public void Warn(string message)
    {
        lock (_gate)
        {
            progress?.Finish();
            Console.Error.WriteLine($"  warning   {Indent(message)}");
        }
    }

    private static string Indent(string text) => text.Replace("\n", "\n            ", StringComparison.Ordinal);
}
