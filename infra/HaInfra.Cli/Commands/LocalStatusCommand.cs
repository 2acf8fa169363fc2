using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`local status`: one row per host; exit 0 only when every server runs and replicates as the stack says.</summary>
public static class LocalStatusCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also show each host's files and the options overridden for this machine" };
        var command = new Command("status", "Show every local server's role, GTID position, replication threads, lag and semi-sync state") { stack, stateDir, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var status = await target.StatusAsync(ct);
            if (status is null)
            {
                Console.Out.WriteLine($"stack '{parse.GetValue(stack)}' is not realized here (no state in {target.Paths.Root}); run ./hainfra local up --stack {parse.GetValue(stack)}.");
                return ExitCodes.Failed;
            }

            StatusTable.Write(status.Value.Report, status.Value.State, target, parse.GetValue(verbose));
            await LocalAlertsCommand.WriteSummaryAsync(target, status.Value.State, ct);
            return status.Value.Report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
