using System.CommandLine;
using HaInfra.Model;
using HaInfra.Operations;

namespace HaInfra.Cli.Commands;

/// <summary>`local dr promote SITE`: disaster recovery of the local target, by an operator only.</summary>
public static class LocalDrCommand
{
    public static Command Create()
    {
        var command = new Command("dr", "Disaster recovery: promote the remote site when the primary region is lost");
        command.Subcommands.Add(Promote());
        command.Subcommands.Add(Rebuild());
        return command;
    }

    private static Command Promote()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var site = new Argument<string>("site") { Description = "The remote (DR) site to promote" };
        var force = new Option<string?>("--force") { Description = "Promote although a host of the primary region still answers; give the reason (it is logged)" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation after the data at risk is stated (for scripts and drills)" };
        var deadline = LocalCommand.DeadlineOption();
        var command = new Command("promote", "Region loss: fence the primary region, promote the most advanced host of SITE, repoint the site under it, move the writer endpoint; prints RPO and RTO")
        {
            site, stack, stateDir, force, yes, deadline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var name = parse.GetValue(site)!;
            var configured = target.Configured;
            var problems = new List<string>();
            if (configured.Sites.FirstOrDefault(s => s.Name == name) is not { } chosen)
            {
                problems.Add($"{name}: not a site of stack '{configured.Stack}'. Fix: use one of {string.Join(", ", configured.Sites.Where(s => s.Kind == SiteKind.Remote).Select(s => s.Name).DefaultIfEmpty("(the stack has no remote site)"))}.");
            }
            else if (chosen.Kind != SiteKind.Remote)
            {
                problems.Add($"{name}: a {Spellings.SiteKind.Of(chosen.Kind)} site of the primary region; a DR promotion promotes a remote site. Fix: use local switchover or local failover inside the region.");
            }

            if (parse.GetValue(force) is { } reason && string.IsNullOrWhiteSpace(reason))
            {
                problems.Add("--force: give the reason for promoting while the primary region answers (it is logged). Fix: --force \"region unusable: ...\".");
            }

            var limit = LocalCommand.ParseDeadline(parse.GetValue(deadline));
            if (problems.Count > 0)
            {
                throw new InvalidInputException($"error: local dr promote {name}: {string.Join(" ", problems)}");
            }

            var objectives = configured.Backup.Objectives;
            Console.Out.WriteLine($"hainfra local dr promote {name}: stack '{configured.Stack}', deadline {(limit ?? configured.Failover.Deadline).TotalSeconds:0} s");
            var result = await target.DrPromoteAsync(name, parse.GetValue(force), (risk, token) => ConfirmAsync(name, risk, parse.GetValue(yes), token), limit,
                System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(), ct);
            Console.Out.WriteLine($"{result.Term.Primary} is the primary ({result.Term}), done in {result.Elapsed.TotalSeconds:0.000} s.");
            var rpo = result.Risk.Transactions is { } lost
                ? $"{lost} transaction(s), {(result.Risk.Seconds is { } s ? $"{s:0} s of commits (binlog timestamps, 1 s resolution)" : "time span unknown")}"
                : "unknown (nothing outside the lost region saw past the DR host)";
            var within = result.Risk.Seconds is { } sec ? sec <= objectives.RpoSeconds ? "within" : "OVER" : "not measurable against";
            Console.Out.WriteLine($"RPO: {rpo}; {within} the objective of {objectives.RpoSeconds} s (hainfra:backup.objectives.rpoSeconds)");
            Console.Out.WriteLine($"RTO: {result.Rto.TotalSeconds:0.000} s from the command's start to the first write through the writer endpoint; " +
                $"{(result.Rto.TotalMinutes <= objectives.RtoMinutes ? "within" : "OVER")} the objective of {objectives.RtoMinutes} min (hainfra:backup.objectives.rtoMinutes)");
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            Console.Out.WriteLine("The lost region's servers hold older terms: when they come back, local up rejoins them as replicas (or rebuild them).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rebuild()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var site = new Argument<string>("site") { Description = "The site to rebuild (not the live primary's)" };
        var force = new Option<bool>("--force") { Description = "Replace hosts of the site that still have a datadir (they are lost or stale)" };
        var command = new Command("rebuild", "Rebuild every host of SITE from the backup copy nearest to it (offsite for the DR region), catch up from the live primary, verify by checksums")
        {
            site, stack, stateDir, force,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var name = parse.GetValue(site)!;
            if (!target.Configured.Sites.Any(s => s.Name == name))
            {
                throw new InvalidInputException($"error: local dr rebuild {name}: not a site of stack '{target.Configured.Stack}'. Fix: use one of {string.Join(", ", target.Configured.Sites.Select(s => s.Name))}.");
            }

            if (!target.Configured.Backup.Enabled)
            {
                throw new InvalidInputException(
                    $"error: local dr rebuild {name}: hainfra:backup.enabled = false in stack '{target.Configured.Stack}': a site is rebuilt from its backup copy. " +
                    "Fix: set hainfra:backup.enabled: true (with recipients), run local up and local backup run full first.");
            }

            Console.Out.WriteLine($"hainfra local dr rebuild {name}: stack '{target.Configured.Stack}'");
            var result = await target.RebuildSiteAsync(name, parse.GetValue(force), ct);
            foreach (var host in result.Hosts)
            {
                Console.Out.WriteLine($"  {host.Host}: {host.Backup}, {host.Bytes / 1048576.0:0.0} MiB of backup streams restored in {host.Restore.TotalSeconds:0.0} s");
            }

            Console.Out.WriteLine($"site {result.Site} rebuilt from the {result.Copy} in {result.Elapsed.TotalSeconds:0.0} s (catch-up {result.CatchUp.TotalSeconds:0.0} s); " +
                $"checksums of {result.TablesVerified} table(s) equal the primary's.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<bool> ConfirmAsync(string site, string risk, bool yes, CancellationToken ct)
    {
        if (yes)
        {
            Console.Out.WriteLine("confirmed by --yes");
            return true;
        }

        Console.Out.Write($"type the site's name ({site}) to promote it: ");
        var answer = await Console.In.ReadLineAsync(ct);
        return answer?.Trim() == site;
    }
}
