using System.CommandLine;
using System.Globalization;
using HaInfra.Operations;
using HaInfra.Operations.Load;
using HaInfra.Operations.Sql;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `local load`: the drill writer. One row per transaction through the writer endpoint as an application account,
/// every acknowledged id recorded; `local load check` then proves each is on every server exactly once.
/// </summary>
public static class LocalLoadCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var report = new Option<string>("--report") { Description = "Where to write the acknowledged ids and their times (JSON)", DefaultValueFactory = _ => "writes.json" };
        var seconds = new Option<int?>("--seconds") { Description = "Stop after this many seconds (default: run until interrupted)" };
        var pause = new Option<int>("--pause-ms") { Description = "Pause between writes in milliseconds (default 2)", DefaultValueFactory = _ => 2 };
        var writer = new Option<string>("--writer")
        {
            Description = "A name for this writer's rows (default: drill-<UTC time>-<pid>, new for every run)",
            DefaultValueFactory = _ => string.Create(CultureInfo.InvariantCulture, $"drill-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Environment.ProcessId}"),
        };
        var command = new Command("load", "Write through the writer endpoint and record every acknowledged write (stop with Ctrl-C or SIGTERM)")
        {
            stack, stateDir, report, seconds, pause, writer,
        };
        command.Subcommands.Add(Check());
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(seconds) is <= 0 || parse.GetValue(pause) < 0)
            {
                throw new InvalidInputException("error: --seconds must be positive and --pause-ms zero or more. Fix: e.g. --seconds 60 --pause-ms 2.");
            }

            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var endpoint = await target.AppEndpointAsync(ct);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (parse.GetValue(seconds) is { } limit)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(limit));
            }

            Console.Out.WriteLine($"hainfra local load: writing through {endpoint} as {endpoint.User}; stop with Ctrl-C");
            var result = await new AckedWriter(new ServerConnector(), endpoint, parse.GetValue(writer)!).RunAsync(TimeSpan.FromMilliseconds(parse.GetValue(pause)), ct: stop.Token);
            result.Save(parse.GetValue(report)!);
            var longest = result.Gaps.Count == 0 ? 0 : result.Gaps.Max(g => g.Seconds);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Acked.Count} writes acknowledged in {(result.Ended - result.Started).TotalSeconds:0.0} s, {result.Errors} errors, {result.Gaps.Count} gaps over {AckedWriter.GapThreshold.TotalMilliseconds:0} ms (longest {longest:0.000} s); report: {parse.GetValue(report)}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var report = new Option<string>("--report") { Description = "The report local load wrote", DefaultValueFactory = _ => "writes.json" };
        var command = new Command("check", "Check that every acknowledged write of a report is on every running server exactly once, and that their checksums agree") { stack, stateDir, report };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(report)!;
            if (!File.Exists(path))
            {
                throw new InvalidInputException($"error: --report {path}: no such file. Fix: pass the file local load wrote.");
            }

            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var written = WriteReport.Load(path);
            var checks = await target.CheckWritesAsync(written, ct);
            foreach (var c in checks)
            {
                Console.Out.WriteLine($"{c.Server}: {c.Rows} rows, {c.Missing.Count} acknowledged writes missing, {c.Duplicates} duplicated, {c.Extra} unacknowledged extra, checksum {c.Checksum}");
            }

            var lost = checks.Max(c => c.Missing.Count);
            var duplicated = checks.Max(c => c.Duplicates);
            // Servers whose drill-table checksum differs from the one most servers show.
            var reference = checks.GroupBy(c => c.Checksum).OrderByDescending(g => g.Count()).First().Key;
            var diverged = checks.Count(c => c.Checksum != reference);
            Console.Out.WriteLine($"lost={lost} duplicated={duplicated} diverged={diverged} acknowledged={written.Acked.Count} servers={checks.Count}");
            return lost == 0 && duplicated == 0 && diverged == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
