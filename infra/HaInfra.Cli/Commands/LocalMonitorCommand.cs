using System.CommandLine;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local monitor`: the failover monitor in the foreground (local up starts it in the background).</summary>
public static class LocalMonitorCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var once = new Option<bool>("--once") { Description = "Probe once, print the verdict and exit (0 alive, 1 otherwise)" };
        var command = new Command("monitor", "Watch the live primary and fail over automatically when it is dead (local up starts this in the background)")
        {
            stack, stateDir, once,
        };
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleStepLog();
            var target = LocalCommand.Target(parse, stack, stateDir, log);
            var ctx = target.RoleChange();
            var monitor = new FailoverMonitor(ctx, $"{Environment.MachineName}:{Environment.ProcessId}", target.ClusterMetrics(ctx), target.GaleraDrWatch(ctx));
            if (parse.GetValue(once))
            {
                var tick = await monitor.TickAsync(ct);
                Console.Out.WriteLine($"{tick.Primary}: {tick.Health.ToString().ToLowerInvariant()} ({tick.Why})");
                return tick.Health == PrimaryHealth.Alive ? ExitCodes.Ok : ExitCodes.Failed;
            }

            try
            {
                await monitor.RunAsync(ct);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM from local down, or Ctrl-C.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>How `local up` starts this verb in the background: the running CLI itself.</summary>
    public static AgentCommand Self(string? stacksDir)
    {
        List<string> args = [];
        if (stacksDir is not null)
        {
            args.AddRange(["--stacks-dir", Path.GetFullPath(stacksDir)]);
        }

        args.AddRange(["local", "monitor"]);
        return SelfCommand.For([.. args]);
    }
}
