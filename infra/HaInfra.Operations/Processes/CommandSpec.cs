namespace HaInfra.Operations.Processes;

/// <summary>A program to run on a host, with its arguments. Never holds secrets in arguments.</summary>
public sealed record CommandSpec(string Program, IReadOnlyList<string> Args)
{
    public override string ToString() => $"{Path.GetFileName(Program)} {string.Join(" ", Args)}";
}

/// <summary>How a command ended, with the end of its stderr for error messages.</summary>
public sealed record CommandResult(string Host, CommandSpec Command, int ExitCode, string StderrTail)
{
    /// <summary>How many of the last stderr lines an error message keeps.</summary>
    public const int TailLines = 15;

    public bool Succeeded => ExitCode == 0;

    /// <summary>The last <see cref="TailLines"/> of <paramref name="stderr"/>, indented under the message.</summary>
    public static string Tail(IEnumerable<string> stderr) => string.Join("\n", stderr.TakeLast(TailLines).Select(l => "    " + l));

    public string Describe() => $"{Path.GetFileName(Command.Program)} on {Host} exited with {ExitCode}" +
        (StderrTail.Length > 0 ? $":\n{StderrTail}" : "");
}
