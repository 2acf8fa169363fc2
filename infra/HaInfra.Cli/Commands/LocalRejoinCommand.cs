using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local rejoin HOST`: bring a server back as a replica of the live primary; its own tail is rewound and saved, or it is reseeded.</summary>
public static class LocalRejoinCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var host = new Argument<string>("host") { Description = "The server to bring back (typically the old primary after a failover)" };
        var command = new Command("rejoin", "Bring a server back as a replica of the live primary: transactions only it has are rewound with flashback and saved, or it is reseeded")
        {
            host, stack, stateDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var name = LocalCommand.RequireHost(target.Configured, parse.GetValue(host), "local rejoin")!;

            Console.Out.WriteLine($"hainfra local rejoin {name}: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            var result = await target.RejoinAsync(name, ct);
            Console.Out.WriteLine($"{name} rejoined: {result.How}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
