using System.Text;
using HaInfra.Cli.Commands;

namespace HaInfra.Cli;

/// <summary>
/// `synth` as Pulumi runs it on every preview: the checkout's staleness check (CheckoutBuild, a few hundred stat
/// calls) runs on another thread beside the synthesis, which has no side effect before it prints; the output is held
/// until the check answers, and a stale build throws it away (or its failure) and rebuilds, which runs the command
/// again. The program goes to stdout in one write: Console.Out writes 256 bytes at a time (about 730 writes for prod's
/// program, each one waking Pulumi's reading end of the pipe).
/// </summary>
public static class SynthRun
{
    /// <summary>The exit code, or null when the arguments need the full parser (which then runs unchecked: the check is done).</summary>
    public static int? Direct(string[] args)
    {
        if (CheckoutBuild.BuildRequest() is { } request)
        {
            return request;
        }

        var checkout = CheckoutBuild.CheckoutToCheck();

        var stale = checkout is null ? Task.FromResult(false) : Task.Run(() => CheckoutBuild.IsStale(checkout));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        bool done;
        int exitCode;
        try
        {
            done = SynthCommand.TryRunDirect(args, stdout, stderr, out exitCode);
        }
        catch (Exception) when (stale.GetAwaiter().GetResult())
        {
            return CheckoutBuild.Rebuild(checkout!, args);
        }

        if (stale.GetAwaiter().GetResult())
        {
            return CheckoutBuild.Rebuild(checkout!, args);
        }

        if (!done)
        {
            return null;
        }

        Console.Error.Write(stderr.ToString());
        using var output = Console.OpenStandardOutput();
        output.Write(Encoding.UTF8.GetBytes(stdout.ToString()));
        return exitCode;
    }
}
