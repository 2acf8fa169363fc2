using System.CommandLine;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local reseed HOST`: rebuild a replica in place from a donor, verified by checksums.</summary>
public static class LocalReseedCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var host = new Argument<string>("host") { Description = "The replica to rebuild" };
        var method = LocalCommand.SeedMethodOption();
        var force = new Option<bool>("--force") { Description = "Rebuild even a replica holding transactions the primary never had (they are discarded)" };
        var command = new Command("reseed", "Rebuild a replica in place from a donor (physical by default), then verify it by checksums") { host, stack, stateDir, method, force };
        command.SetAction(async (parse, ct) =>
        {
            var progress = new ConsoleSeedProgress();
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog(progress), progress: progress);
            LocalCommand.RequireHost(target.Configured, parse.GetValue(host), "local reseed");
            Console.Out.WriteLine($"hainfra local reseed {parse.GetValue(host)}: stack '{parse.GetValue(stack)}', state in {target.Paths.Root}");
            var result = await target.ReseedAsync(parse.GetValue(host)!, new SeedOptions(LocalCommand.ParseSeedMethod(parse.GetValue(method))), parse.GetValue(force), ct);
            Console.Out.WriteLine($"{parse.GetValue(host)} rebuilt and verified in {result.Elapsed.TotalSeconds:0.00} s.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
