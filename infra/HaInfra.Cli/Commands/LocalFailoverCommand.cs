using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local failover [--to HOST]`: promote a replica of the primary region when the primary is down.</summary>
public static class LocalFailoverCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var to = new Option<string?>("--to") { Description = "The replica to promote (default: the one that received the most); never a DR host" };
        var deadline = LocalCommand.DeadlineOption();
        var command = new Command("failover", "Failover by hand: the primary must be down; fence it, promote the best replica of the primary region, repoint, move the writer endpoint")
        {
            stack, stateDir, to, deadline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            LocalCommand.RequireHost(target.Configured, parse.GetValue(to), "--to");
            var limit = LocalCommand.ParseDeadline(parse.GetValue(deadline));
            Console.Out.WriteLine($"hainfra local failover: stack '{parse.GetValue(stack)}', deadline {(limit ?? target.Configured.Failover.Deadline).TotalSeconds:0} s");
            var result = await target.FailoverAsync(parse.GetValue(to), limit, ct);
            Console.Out.WriteLine($"{result.Term.Primary} is the primary ({result.Term}), done in {result.Elapsed.TotalSeconds:0.000} s.");
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
