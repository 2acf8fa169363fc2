using System.Globalization;
using System.Text.Json;
using HaInfra.Operations.Json;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's stand-in for systemd timers (the local target has no systemd): runs the backup agent on the
/// policy's calendar and keeps the binlog archive running. Calendar expressions are evaluated by systemd's own
/// parser (systemd-analyze calendar), so a schedule means exactly what it means on a cloud host.
/// </summary>
public static class LocalScheduler
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string scheduleFile, TextWriter log, CancellationToken ct)
    {
        var schedule = JsonSerializer.Deserialize(await File.ReadAllTextAsync(scheduleFile, ct), OperationsJson.Default.LocalSchedule)
            ?? throw new InvalidDataException($"{scheduleFile} is empty");
        var next = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (kind, calendar) in schedule.Calendar)
        {
            next[kind] = await NextElapseAsync(calendar, DateTimeOffset.UtcNow, ct);
            await log.WriteLineAsync($"{Stamp()} {kind}: next run {next[kind]:u} ({calendar})");
        }

        while (!ct.IsCancellationRequested)
        {
            await SuperviseArchiveAsync(schedule, log);
            foreach (var kind in next.Where(n => n.Value <= DateTimeOffset.UtcNow).Select(n => n.Key).ToList())
            {
                await log.WriteLineAsync($"{Stamp()} {kind}: starting");
                var exit = await RunAgentAsync(schedule, kind, log, ct);
                next[kind] = await NextElapseAsync(schedule.Calendar[kind], DateTimeOffset.UtcNow, ct);
                await log.WriteLineAsync($"{Stamp()} {kind}: exit {exit}; next run {next[kind]:u}");
            }

            await log.FlushAsync(ct);
            await Task.Delay(Tick, ct);
        }
    }

    /// <summary>The next time <paramref name="calendar"/> elapses after <paramref name="after"/>, as systemd computes it.</summary>
    public static async Task<DateTimeOffset> NextElapseAsync(string calendar, DateTimeOffset after, CancellationToken ct) =>
        (await Backups.CalendarElapses.NextAsync(calendar, after, 1, ct))[0];

    private static async Task<int> RunAgentAsync(LocalSchedule schedule, string kind, TextWriter log, CancellationToken ct)
    {
        var run = await schedule.Agent.RunAsync(kind, null, ct);
        await log.WriteAsync(run.Stderr);
        await log.WriteAsync(run.Stdout);
        return run.ExitCode;
    }

    private static async Task SuperviseArchiveAsync(LocalSchedule schedule, TextWriter log)
    {
        if (schedule.ArchivePid is null || Daemon.RunningPid(schedule.ArchivePid, schedule.Agent.Script) is not null)
        {
            return;
        }

        await log.WriteLineAsync($"{Stamp()} binlog archive not running; restarting it");
        await schedule.Agent.SpawnArchiveAsync(schedule.ArchivePid, schedule.ArchiveLog);
    }

    private static string Stamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
