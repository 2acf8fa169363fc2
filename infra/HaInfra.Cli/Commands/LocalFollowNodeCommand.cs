using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local follow-node`: method galera: the DR replica follows a Synced node when its source node is gone.</summary>
public static class LocalFollowNodeCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var command = new Command("follow-node", "Galera stacks: point the DR replica at a Synced node (the writer node when it is Synced) when its source node is gone; it resumes by GTID")
        {
            stack, stateDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var moved = await target.FollowGaleraNodeAsync(ct);
            Console.Out.WriteLine(moved.Count == 0 ? "every replica outside the cluster already follows a Synced node." : $"repointed: {string.Join(", ", moved)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
