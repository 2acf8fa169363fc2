using HaInfra.Model;
using HaInfra.Operations.Local;
using HaInfra.Operations.Status;
using Spectre.Console;

namespace HaInfra.Cli;

/// <summary>Prints a status report as a table, plus, verbosely, each host's files and local overrides.</summary>
public static class StatusTable
{
    public static void Write(StatusReport report, LocalState state, LocalTarget target, bool verbose)
    {
        var console = StdoutConsole.Create();
        var table = StdoutConsole.Table("host", "site", "role", "server_id", "address", "GTID position", "IO/SQL", "lag", "semi-sync", "health");

        foreach (var row in report.Hosts)
        {
            var s = row.Snapshot;
            table.AddRow(
                Cell(row.Host.Name),
                Cell($"{row.Site.Name} ({Spellings.SiteKind.Of(row.Site.Kind)})"),
                Cell(row.PairRole is { } pair ? $"{Spellings.Role.Of(row.Host.Role)} ({pair})" : Spellings.Role.Of(row.Host.Role)),
                Cell(s?.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                Cell(row.Address),
                Cell(s is null ? "-" : s.CurrentPos.IsEmpty ? "(empty)" : s.CurrentPos.ToString()),
                Cell(row.ReplicationText),
                Cell(row.LagText),
                Cell(row.SemiSyncText),
                row.Healthy ? new Markup("[green]ok[/]") : new Markup($"[red]{Markup.Escape(string.Join("; ", row.Problems))}[/]"));
        }

        console.Write(table);
        console.WriteLine(report.PrimaryLine);
        if (report.PassiveWrites is { } misplaced)
        {
            console.MarkupLine($"[yellow]{Markup.Escape($"misplaced writes: {misplaced.Describe}.")}[/]");
            console.MarkupLine($"[yellow]{Markup.Escape($"  reconcile: {misplaced.Reconcile}")}[/]");
        }

        console.WriteLine(report.Healthy
            ? $"stack '{report.Stack}': all {report.Hosts.Count} servers healthy."
            : $"stack '{report.Stack}': {report.Hosts.Count(h => !h.Healthy)} of {report.Hosts.Count} servers need attention.");

        if (verbose)
        {
            WriteDetails(console, report, state, target);
        }
    }

    private static void WriteDetails(IAnsiConsole console, StatusReport report, LocalState state, LocalTarget target)
    {
        foreach (var row in report.Hosts)
        {
            var paths = target.Paths.Host(row.Host.Name);
            console.WriteLine();
            console.WriteLine($"{row.Host.Name}: pid {row.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, {paths.Dir}");
            console.WriteLine($"  rendered my.cnf (as on a cloud host): {paths.RenderedCnf}");
            console.WriteLine($"  started with --defaults-file={paths.LocalCnf} {LocalServer.SkipReplicaStart} (local up starts replication after checking positions); local.cnf overrides:");
            var port = state.Hosts.TryGetValue(row.Host.Name, out var host) ? host.Port : 0;
            foreach (var o in target.OverridesFor(row.Host, port))
            {
                console.WriteLine($"    {o.Option,-24} = {o.Value}   ({o.Why})");
            }
        }
    }

    private static Text Cell(string text) => new(text);
}
