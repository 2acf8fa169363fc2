using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local switchover [--to HOST]`: hand the primary role over, with one deadline and a rollback.</summary>
public static class LocalSwitchoverCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var to = new Option<string?>("--to") { Description = "The replica to promote (default: the most caught-up host of the primary region)" };
        var deadline = LocalCommand.DeadlineOption();
        var command = new Command("switchover", "Planned switchover: fence the primary, let the candidate catch up, promote it, repoint the others, move the writer endpoint") { stack, stateDir, to, deadline };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            LocalCommand.RequireHost(target.Configured, parse.GetValue(to), "--to");
            var limit = LocalCommand.ParseDeadline(parse.GetValue(deadline));
            Console.Out.WriteLine($"hainfra local switchover: stack '{parse.GetValue(stack)}', deadline {(limit ?? target.Configured.Failover.Deadline).TotalSeconds:0} s");
            var result = await target.SwitchoverAsync(parse.GetValue(to), limit, ct);
            Console.Out.WriteLine($"{result.Term.Primary} is the primary ({result.Term}); writes were refused for {result.WriteGap.TotalSeconds:0.000} s, done in {result.Elapsed.TotalSeconds:0.000} s.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
