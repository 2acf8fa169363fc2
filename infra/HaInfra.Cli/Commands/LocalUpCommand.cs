using System.CommandLine;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local up`: create, start and bootstrap whatever is missing; a no-op that says so when all is in place.</summary>
public static class LocalUpCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var basePort = new Option<int?>("--base-port") { Description = "First loopback port for hosts that have none yet (overrides hainfra:local.basePort)" };
        var seedMethod = LocalCommand.SeedMethodOption();
        var monitoring = new Option<bool>("--monitoring")
        {
            Description = "Also run the exporters and a Prometheus with the stack's alert rules on loopback (kept on later runs; see local alerts)",
        };
        var command = new Command("up", "Create and start the stack's servers, seed new replicas, bring up replication (safe to repeat)") { stack, stateDir, basePort, seedMethod, monitoring };
        command.SetAction(async (parse, ct) =>
        {
            var progress = new ConsoleSeedProgress();
            var log = new ConsoleStepLog(progress);
            var method = LocalCommand.ParseSeedMethod(parse.GetValue(seedMethod));
            var target = LocalCommand.Target(parse, stack, stateDir, log, parse.GetValue(basePort), progress);
            Console.Out.WriteLine($"hainfra local up: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            // Already up and something differs: say what, as local plan would, before acting.
            if (await target.PlanAsync(ct) is { Realized: true, HasChanges: true } plan)
            {
                Console.Out.WriteLine("the stack here differs from what local up writes (local plan shows the same):");
                LocalPlanText.Write(Console.Out, plan);
            }

            var result = await target.UpAsync(new SeedOptions(method), parse.GetValue(monitoring), ct);
            var seeded = result.Seeds.Count > 0
                ? $" Seeded {string.Join(", ", result.Seeds.Select(s => s.Target))}: caught up after {result.CaughtUp.TotalSeconds:0.00} s, checksums verified in {(result.Elapsed - result.CaughtUp).TotalSeconds:0.00} s."
                : "";
            Console.Out.WriteLine(result.Changed
                ? $"all replicas verified in {result.Elapsed.TotalSeconds:0.00} s ({result.Servers} servers; canary GTID {result.Gtid}).{seeded}"
                : $"nothing to do: {result.Servers} servers already running, replication configured and caught up at '{result.Gtid}'.");
            Console.Out.WriteLine();
            var status = await target.StatusAsync(ct);
            StatusTable.Write(status!.Value.Report, status.Value.State, target, verbose: false);
            await LocalAlertsCommand.WriteSummaryAsync(target, status!.Value.State, ct);
            return status.Value.Report.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
