namespace HaInfra.Operations;

/// <summary>An operation stopped on purpose: what is wrong and what the operator should do. Maps to exit code 1.</summary>
public sealed class OperationFailedException : Exception
{
    public OperationFailedException(string problem, string fix)
        : base($"{problem}\n  fix: {fix}")
    {
        Problem = problem;
        Fix = fix;
    }

    public OperationFailedException(IReadOnlyList<(string Problem, string Fix)> problems)
        : base(string.Join("\n", problems.Select(p => $"{p.Problem}\n  fix: {p.Fix}")))
    {
        Problem = string.Join("; ", problems.Select(p => p.Problem));
        Fix = string.Join("; ", problems.Select(p => p.Fix));
    }

    public string Problem { get; }

    public string Fix { get; }
}
