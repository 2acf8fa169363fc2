namespace HaInfra.Operations.Logging;

/// <summary>
/// Where operations report their named steps. Messages never contain secrets: operations pass
/// <see cref="Secret"/> values only as SQL parameters, and a Secret prints as "***".
/// </summary>
public interface IStepLog
{
    /// <summary>A step that completed: a short verb ("replica", "verify") and what was done.</summary>
    void Step(string step, string detail);

    void Warn(string message);
}

/// <summary>Keeps steps in memory; for tests and for callers that print later.</summary>
public sealed class MemoryStepLog : IStepLog
{
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void Step(string step, string detail)
    {
        lock (_gate)
        {
            _lines.Add($"{step}: {detail}");
        }
    }

    public void Warn(string message)
    {
        lock (_gate)
        {
            _lines.Add($"warning: {message}");
        }
    }
}
