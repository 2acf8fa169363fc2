using System.CommandLine;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local agent --schedule FILE`: the local target's backup scheduler; `local up` starts it detached.</summary>
public static class LocalAgentCommand
{
    public static Command Create()
    {
        var schedule = new Option<string>("--schedule") { Description = "The schedule file local up wrote", Required = true };
        var command = new Command("agent", "Run the local backup scheduler in the foreground (local up starts it for you)") { schedule };
        command.SetAction(async (parse, ct) =>
        {
            await LocalScheduler.RunAsync(parse.GetValue(schedule)!, Console.Out, ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>How `local up` starts this verb: the running CLI itself.</summary>
    public static AgentCommand Self() => SelfCommand.For("local", "agent");
}
