using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local down`: stop every server cleanly, keeping data; with --purge, delete the state too.</summary>
public static class LocalDownCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var purge = new Option<bool>("--purge") { Description = "Also delete the state directory: datadirs, binlogs, TLS files, the replication password" };
        var force = new Option<bool>("--force") { Description = "With --purge: delete even when servers hold databases of your own" };
        var command = new Command("down", "Stop the stack's local servers cleanly (data is kept unless --purge)") { stack, stateDir, purge, force };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            Console.Out.WriteLine($"hainfra local down: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            await target.DownAsync(parse.GetValue(purge), parse.GetValue(force), ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
