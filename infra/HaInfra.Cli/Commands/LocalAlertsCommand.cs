using System.CommandLine;
using System.Globalization;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local alerts`: the firing and pending alerts of the local Prometheus (local up --monitoring), as a table.</summary>
public static class LocalAlertsCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var command = new Command("alerts", "List the firing and pending alerts of the stack's local Prometheus (local up --monitoring)") { stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            if (LocalState.Load(target.Paths) is not { Monitoring: true } state)
            {
                Console.Error.WriteLine($"error: stack '{target.Configured.Stack}' has no local monitoring. Fix: ./hainfra local up --stack {target.Configured.Stack} --monitoring");
                return ExitCodes.InvalidInput;
            }

            var monitoring = target.Monitoring(state);
            if (!monitoring.IsRunning)
            {
                Console.Error.WriteLine($"error: the local Prometheus of stack '{target.Configured.Stack}' is not running. Fix: ./hainfra local up --stack {target.Configured.Stack}");
                return ExitCodes.Failed;
            }

            Write(await monitoring.AlertsAsync(ct), monitoring.PrometheusUrl, DateTimeOffset.UtcNow);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line for local status and local up when the stack has monitoring: what fires now.</summary>
    internal static async Task WriteSummaryAsync(LocalTarget target, LocalState state, CancellationToken ct)
    {
        if (!state.Monitoring)
        {
            return;
        }

        var monitoring = target.Monitoring(state);
        if (!monitoring.IsRunning)
        {
            Console.Out.WriteLine($"monitoring: the local Prometheus is not running (./hainfra local up --stack {target.Configured.Stack} starts it).");
            return;
        }

        try
        {
            var alerts = await monitoring.AlertsAsync(ct);
            var firing = alerts.Where(a => a.State == "firing").Select(a => a.Host is null ? a.Name : $"{a.Name} on {a.Host}").ToList();
            Console.Out.WriteLine($"monitoring: {monitoring.PrometheusUrl}: {firing.Count} alert(s) firing{(firing.Count > 0 ? $" ({string.Join(", ", firing)})" : "")}, " +
                $"{alerts.Count - firing.Count} pending; ./hainfra local alerts --stack {target.Configured.Stack} shows them.");
        }
        catch (HttpRequestException e)
        {
            Console.Out.WriteLine($"monitoring: {monitoring.PrometheusUrl} did not answer ({e.Message}).");
        }
    }

    internal static void Write(IReadOnlyList<ActiveAlert> alerts, string url, DateTimeOffset now)
    {
        var firing = alerts.Count(a => a.State == "firing");
        Console.Out.WriteLine($"alerts of {url}: {firing} firing, {alerts.Count - firing} pending");
        if (alerts.Count == 0)
        {
            return;
        }

        var rows = alerts.Select(a => new[]
        {
            a.State, a.Name, a.Severity, a.Host ?? "-",
            a.Since is { } since ? $"{(now - since).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s" : "-", a.Summary,
        }).ToList();
        string[] header = ["STATE", "ALERT", "SEVERITY", "HOST", "FOR", "SUMMARY"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var (row, alert) in rows.Prepend(header).Zip(alerts.Prepend(null)))
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
            if (alert?.Error is { } error)
            {
                Console.Out.WriteLine($"{new string(' ', widths.Take(5).Sum() + 10)}error: {error}");
            }
        }
    }
}
