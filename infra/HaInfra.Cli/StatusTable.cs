using HaInfra.Model;
using HaInfra.Model.Galera;
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
        // Galera stacks get one more column: cluster size, state, flow control paused fraction, local recv queue.
        var galera = report.Hosts.Any(h => GaleraCluster.IsNode(target.Configured, h.Host));
        string[] columns = ["host", "site", "role", "server_id", "address", "GTID position", "IO/SQL", "lag", galera ? "galera" : "semi-sync", "health"];
        var table = StdoutConsole.Table(columns);

        foreach (var row in report.Hosts)
        {
            var s = row.Snapshot;
            table.AddRow(
                Cell(row.Host.Name),
                Cell($"{row.Site.Name} ({Spellings.SiteKind.Of(row.Site.Kind)})"),
                Cell(GaleraCluster.IsNode(target.Configured, row.Host) ? (row.Host.Role == HostRole.Primary ? "galera writer" : "galera node")
                    : row.PairRole is { } pair ? $"{Spellings.Role.Of(row.Host.Role)} ({pair})" : Spellings.Role.Of(row.Host.Role)),
                Cell(s?.ServerId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                Cell(row.Address),
                Cell(s is null ? "-" : Position(row.Galera is not null ? s.BinlogPos : s.CurrentPos)),
                Cell(row.ReplicationText),
                Cell(row.LagText),
                Cell(galera ? row.GaleraText : row.SemiSyncText),
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

    /// <summary>A Galera node applies write sets into its binlog, not through a replication channel: its binlog position is where it stands.</summary>
    private static string Position(Model.Gtids.GtidPosition position) => position.IsEmpty ? "(empty)" : position.ToString();

    private static Text Cell(string text) => new(text);
}
