using System.CommandLine;
using HaInfra.Cli;
using HaInfra.Cli.Commands;
using HaInfra.Operations;
using HaInfra.Operations.Sql;

if (args is [HashThroughCommand.Verb, ..])
{
    return HashThroughCommand.Run(args);
}

if (args is ["synth", ..])
{
    if (SynthRun.Direct(args) is { } synthExit)
    {
        return synthExit;
    }
}
else if (CheckoutBuild.Intercept(args) is { } buildExit)
{
    return buildExit;
}

var root = new RootCommand("HaInfra: highly available MariaDB/MySQL topologies from one typed stack file")
{
    CommonOptions.StacksDir,
};
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(RenderCommand.Create());
root.Subcommands.Add(LocalCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(BootstrapCommand.Create());
root.Subcommands.Add(BackupCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("run ./hainfra --help for usage.");
    return ExitCodes.InvalidInput;
}

try
{
    // SIGINT and SIGTERM cancel the verb's token and give it time to finish (the drill writer saves its report, the monitor stops cleanly).
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });
}
catch (InvalidInputException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.InvalidInput;
}
catch (OperationFailedException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Failed;
}
catch (HaInfra.Operations.Failover.StepFailedException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Failed;
}
catch (SqlOperationException e)
{
    // A statement the operation did not expect to fail: say where and what, without a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Failed;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {IoErrors.Describe(e)}\n  fix: check the path named above and its permissions, then run the command again.");
    return ExitCodes.Failed;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Nothing reaches a user as a stack trace; HAINFRA_DEBUG=1 shows where it came from, for a bug report.
    Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(Environment.GetEnvironmentVariable("HAINFRA_DEBUG") == "1"
        ? e.ToString()
        : "  this is a bug in hainfra; run again with HAINFRA_DEBUG=1 to see where it happened, and report it.");
    return ExitCodes.Failed;
}
