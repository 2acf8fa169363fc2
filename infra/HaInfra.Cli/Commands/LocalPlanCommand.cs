using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local plan`: what local up would change on this machine, read-only; exit 0 whether or not anything differs.</summary>
public static class LocalPlanCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var command = new Command("plan", "Show what local up would change: each host's my.cnf against its running server, key by key, dynamic or restart") { stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            Console.Out.WriteLine($"hainfra local plan: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            LocalPlanText.Write(Console.Out, await target.PlanAsync(ct));
            return ExitCodes.Ok;
        });
        return command;
    }
}
