using System.Text;
using HaInfra.Cli.Commands;

namespace HaInfra.Cli;

/// <summary>
/// `synth` as Pulumi runs it on every preview: the checkout's staleness check (CheckoutBuild, a few hundred stat
/// calls) runs on another thread beside the synthesis, which has no side effect before it prints; the output is held
/// until the check answers, and a stale build throws it away and rebuilds, which runs the command again. The program
/// goes to stdout in one write: Console.Out writes 256 bytes at a time (about 730 writes for prod's program, each
/// one waking Pulumi's reading end of the pipe).
/// </summary>
public static class SynthRun
{
    /// <summary>The exit code, or null when the arguments need the full parser (which runs after the same check).</summary>
    public static int? Direct(string[] args)
    {
        var checkout = CheckoutBuild.CheckoutToCheck();
        if (checkout is null)
        {
            return CheckoutBuild.Intercept(args) ?? Synthesize(args);
        }

        var stale = Task.Run(() => CheckoutBuild.IsStale(checkout));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var done = SynthCommand.TryRunDirect(args, stdout, stderr, out var exitCode);
        if (stale.GetAwaiter().GetResult())
        {
            return CheckoutBuild.Rebuild(checkout, args);
        }

        if (!done)
        {
            return null;
        }

        Print(stdout.ToString(), stderr.ToString());
        return exitCode;
    }

    private static int? Synthesize(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        if (!SynthCommand.TryRunDirect(args, stdout, stderr, out var exitCode))
        {
            return null;
        }

        Print(stdout.ToString(), stderr.ToString());
        return exitCode;
    }

    private static void Print(string stdout, string stderr)
    {
        Console.Error.Write(stderr);
        using var output = Console.OpenStandardOutput();
        output.Write(Encoding.UTF8.GetBytes(stdout));
    }
}
