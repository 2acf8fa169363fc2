using System.CommandLine;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local dr promote SITE`: disaster recovery of the local target, by an operator only.</summary>
public static class LocalDrCommand
{
    public static Command Create()
    {
        var command = new Command("dr", "Disaster recovery: promote the remote site when the primary region is lost");
        command.Subcommands.Add(Promote());
        command.Subcommands.Add(Rebuild());
        command.Subcommands.Add(Drill());
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
        var sites = new Argument<string[]>("site") { Description = "The site(s) to rebuild, e.g. every site of a lost region (not the live primary's)", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force") { Description = "Replace hosts that still have a datadir (they are lost or stale)" };
        var from = new Option<string>("--from") { Description = "The backup copy: nearest (default: offsite for a site outside the configured primary region), offsite, or primary", DefaultValueFactory = _ => "nearest" };
        var command = new Command("rebuild", "Rebuild every host of the site(s) from a backup copy (by default the nearest: offsite for the DR region), catch up from the live primary, verify by checksums")
        {
            sites, stack, stateDir, force, from,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var names = parse.GetValue(sites)!;
            var configured = target.Configured;
            var problems = names.Where(n => !configured.Sites.Any(s => s.Name == n))
                .Select(n => $"{n}: not a site of stack '{configured.Stack}'. Fix: use one of {string.Join(", ", configured.Sites.Select(s => s.Name))}.").ToList();
            var copy = parse.GetValue(from) switch
            {
                "nearest" => RebuildCopy.Nearest,
                "offsite" => RebuildCopy.Offsite,
                "primary" => RebuildCopy.Primary,
                var other => (RebuildCopy?)null,
            };
            if (copy is null)
            {
                problems.Add($"--from {parse.GetValue(from)}: not a backup copy. Fix: use nearest, offsite or primary.");
            }

            if (!configured.Backup.Enabled)
            {
                problems.Add($"hainfra:backup.enabled = false in stack '{configured.Stack}': a site is rebuilt from its backup copy. " +
                    "Fix: set hainfra:backup.enabled: true (with recipients), run local up and local backup run full first.");
            }

            if (problems.Count > 0)
            {
                throw new InvalidInputException($"error: local dr rebuild {string.Join(" ", names)}: {string.Join(" ", problems)}");
            }

            Console.Out.WriteLine($"hainfra local dr rebuild {string.Join(" ", names)}: stack '{configured.Stack}'");
            var result = await target.RebuildSitesAsync(names, parse.GetValue(force), copy!.Value, ct);
            foreach (var host in result.Hosts)
            {
                Console.Out.WriteLine($"  {host.Host}: {host.Backup}, {host.Bytes / 1048576.0:0.0} MiB of backup streams restored in {host.Restore.TotalSeconds:0.0} s");
            }

            Console.Out.WriteLine($"{result.Site} rebuilt from the {result.Copy} in {result.Elapsed.TotalSeconds:0.0} s (catch-up {result.CatchUp.TotalSeconds:0.0} s); " +
                $"checksums of {result.TablesVerified} table(s) equal the primary's.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Drill()
    {
        var stack = new Option<string>("--stack") { Description = "The stack whose topology the drill copies (default: prod)", DefaultValueFactory = _ => "prod" };
        var stateDir = CommonOptions.StateDir();
        var seconds = new Option<int>("--seconds") { Description = "Seconds of writes before the cut (and half as many after the promotion); default 10", DefaultValueFactory = _ => 10 };
        var pauseMs = new Option<int>("--pause-ms") { Description = "Pause between the writer's commits in ms; default 10 (about 100 commits/s)", DefaultValueFactory = _ => 10 };
        var keep = new Option<bool>("--keep") { Description = "Leave the drill's servers running afterwards (its own state root, dr-drill/)" };
        var command = new Command("drill", "The region-loss story on a copy of the stack with real partitions: load, cut, promote, writes, rebuild from the offsite copy, switchover home, verify")
        {
            stack, stateDir, seconds, pauseMs, keep,
        };
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleStepLog();
            var root = Path.Combine(parse.GetValue(stateDir) ?? LocalPaths.DefaultStateRoot(), "dr-drill");
            var stackName = parse.GetValue(stack)!;
            var problems = new List<string>();
            if (parse.GetValue(seconds) is < 2 or > 3600)
            {
                problems.Add($"--seconds {parse.GetValue(seconds)}: out of range. Fix: give 2 to 3600.");
            }

            if (parse.GetValue(pauseMs) is < 0 or > 10000)
            {
                problems.Add($"--pause-ms {parse.GetValue(pauseMs)}: out of range. Fix: give 0 to 10000.");
            }

            var target = LocalCommand.DrillTarget(parse, t => t with
            {
                // Real partitions need each site in a namespace of its own; ports apart from the stack's own local copy.
                Local = t.Local with { SiteNamespaces = true, BasePort = (t.Local.BasePort ?? 13306) + 500 },
            }, stackName, root, log);
            var configured = target.Configured;
            var dr = configured.Sites.FirstOrDefault(s => s.Kind == SiteKind.Remote);
            if (dr is null)
            {
                problems.Add($"stack '{stackName}' has no remote site to promote. Fix: drill a stack with a remote (DR) site, e.g. --stack prod.");
            }

            if (!configured.Backup.Enabled)
            {
                problems.Add($"stack '{stackName}' takes no backups (hainfra:backup.enabled = false); the drill rebuilds from the offsite copy. Fix: drill --stack prod, or enable backups.");
            }

            if (problems.Count > 0)
            {
                throw new InvalidInputException($"error: local dr drill: {string.Join(" ", problems)}");
            }

            Console.Out.WriteLine($"hainfra local dr drill: a copy of stack '{stackName}' with its sites in network namespaces, under {root}");
            await target.DownAsync(purge: true, force: true, ct);
            DrillReport report;
            try
            {
                report = await new LocalDrDrill(target, log).RunAsync(dr!.Name, TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromMilliseconds(parse.GetValue(pauseMs)), ct);
            }
            finally
            {
                if (!parse.GetValue(keep))
                {
                    await target.DownAsync(purge: true, force: true, CancellationToken.None);
                }
            }

            var objectives = configured.Backup.Objectives;
            Console.Out.WriteLine();
            Console.Out.WriteLine("DR drill report");
            foreach (var phase in report.Phases)
            {
                Console.Out.WriteLine($"  {phase.Name,-8} {phase.Took.TotalSeconds,7:0.0} s  {phase.Detail}");
            }

            var risk = report.Promotion.Risk;
            Console.Out.WriteLine($"  write rate: {report.WriteRate:0} acknowledged commits/s; {report.AckedTotal} acknowledged in all");
            Console.Out.WriteLine($"  RPO stated by the promotion: {risk.Transactions?.ToString() ?? "unknown"} transaction(s), {risk.Seconds?.ToString("0") ?? "?"} s; " +
                $"acknowledged writes lost: {report.AckedLost} ({report.AckedLostSeconds:0.000} s of acknowledgements); objective {objectives.RpoSeconds} s");
            Console.Out.WriteLine($"  RTO: {report.Promotion.Rto.TotalSeconds:0.000} s to the first write through the endpoint; objective {objectives.RtoMinutes} min");
            Console.Out.WriteLine($"  verification: {string.Join("; ", report.Checks.Select(c => $"{c.Server} {c.Rows} rows, checksum {c.Checksum}"))}");
            foreach (var failure in report.Failures)
            {
                Console.Error.WriteLine($"FAILED: {failure}");
            }

            Console.Out.WriteLine(report.Passed ? "DR drill passed." : "DR drill FAILED.");
            Console.Out.WriteLine($"RESULT dr_promote_rto_s={report.Promotion.Rto.TotalSeconds:0.000} dr_rpo_trx={risk.Transactions?.ToString() ?? "-1"} dr_acked_lost={report.AckedLost} " +
                $"rebuild_s={report.Phases.First(p => p.Name == "rebuild").Took.TotalSeconds:0.0} drill_s={report.Phases.Sum(p => p.Took.TotalSeconds):0.0}");
            return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
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
