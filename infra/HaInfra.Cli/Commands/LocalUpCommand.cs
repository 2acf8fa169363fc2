using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local up`: create, start and bootstrap whatever is missing; a no-op that says so when all is in place.</summary>
public static class LocalUpCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var basePort = new Option<int?>("--base-port") { Description = "First loopback port for hosts that have none yet (overrides hainfra:local.basePort)" };
        var command = new Command("up", "Create and start the stack's servers and bring up replication (safe to repeat)") { stack, stateDir, basePort };
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleStepLog();
            var target = LocalCommand.Target(parse, stack, stateDir, log, parse.GetValue(basePort));
            Console.Out.WriteLine($"hainfra local up: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            var result = await target.UpAsync(ct);
            Console.Out.WriteLine(result.Changed
                ? $"all replicas verified in {result.Elapsed.TotalSeconds:0.00} s ({result.Servers} servers; canary GTID {result.Gtid})."
                : $"nothing to do: {result.Servers} servers already running, replication configured and caught up at '{result.Gtid}'.");
            Console.Out.WriteLine();
            var status = await target.StatusAsync(ct);
            StatusTable.Write(status!.Value.Report, status.Value.State, target, verbose: false);
            return status.Value.Report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
