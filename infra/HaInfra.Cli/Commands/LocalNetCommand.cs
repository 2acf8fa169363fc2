using System.CommandLine;
using HaInfra.Operations;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local cut SITE` / `local heal SITE`: a real network partition of one site (hainfra:local.siteNamespaces), for drills.</summary>
public static class LocalNetCommand
{
    public static Command Cut() => Create("cut", "Cut a site off the network (its veth pair goes down; its servers keep running): a partition drill", heal: false);

    public static Command Heal() => Create("heal", "End a cut: the site's veth pair comes back up", heal: true);

    private static Command Create(string name, string description, bool heal)
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var site = new Argument<string>("site") { Description = "The site to cut off or reconnect" };
        var command = new Command(name, description) { site, stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var siteName = parse.GetValue(site)!;
            var problems = new List<string>();
            if (!target.Configured.Local.SiteNamespaces)
            {
                problems.Add($"stack '{target.Configured.Stack}' runs every server on 127.0.0.1 (hainfra:local.siteNamespaces is false). Fix: set hainfra:local.siteNamespaces: true in the stack, then local down --purge and local up.");
            }

            if (!target.Configured.Sites.Any(s => s.Name == siteName))
            {
                problems.Add($"{siteName}: not a site of stack '{target.Configured.Stack}'. Fix: use one of {string.Join(", ", target.Configured.Sites.Select(s => s.Name))}.");
            }

            if (problems.Count > 0)
            {
                throw new InvalidInputException($"error: local {name} {siteName}: {string.Join(" ", problems)}");
            }

            var state = LocalState.Load(target.Paths)
                ?? throw new InvalidInputException($"error: stack '{target.Configured.Stack}' is not realized here ({target.Paths.Root}). Fix: run ./hainfra local up first.");
            var network = target.Network(state);
            if (heal)
            {
                await network.HealAsync(siteName, ct);
                Console.Out.WriteLine($"site {siteName} is reachable again.");
            }
            else
            {
                await network.CutAsync(siteName, ct);
                Console.Out.WriteLine($"site {siteName} is cut off: its servers run, but nothing reaches them over the network. End it with ./hainfra local heal {siteName}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
