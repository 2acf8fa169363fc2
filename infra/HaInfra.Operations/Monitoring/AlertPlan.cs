using HaInfra.Model;
using HaInfra.Operations.Backups;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;

namespace HaInfra.Operations.Monitoring;

/// <summary>
/// A stack's alert rules with the thresholds that come from its backup schedules: a kind of backup may be as old as
/// the longest wait between two of its scheduled runs, plus a quarter of that wait (at most 12 hours) for the run
/// itself to finish.
/// </summary>
public static class AlertPlan
{
    private static readonly TimeSpan MaxSlack = TimeSpan.FromHours(12);

    public static async Task<string> RenderAsync(TemplateRenderer renderer, Topology topology, string dataMountpoint, CancellationToken ct) =>
        AlertRulesRenderer.Render(renderer, topology, await ThresholdsAsync(topology, dataMountpoint, ct));

    public static async Task<AlertThresholds> ThresholdsAsync(Topology topology, string dataMountpoint, CancellationToken ct)
    {
        var schedules = topology.Backup.Schedules;
        var limits = new List<BackupAgeLimit>();
        if (topology.Backup.Enabled)
        {
            await AddAsync(limits, "HaInfraFullBackupTooOld", ["full"], "full backup", [schedules.Full], "full", ct);
            await AddAsync(limits, "HaInfraRestorePointTooOld", ["full", "incremental"], "full or incremental backup",
                [schedules.Full, schedules.Incremental], "incremental", ct);
            await AddAsync(limits, "HaInfraLogicalBackupTooOld", ["logical"], "logical backup", [schedules.Logical], "logical", ct);
        }

        return new AlertThresholds(limits, AlertThresholds.DefaultVerifyMaxAge, dataMountpoint);
    }

    private static async Task AddAsync(
        List<BackupAgeLimit> limits, string alert, string[] kinds, string what, string[] calendars, string command, CancellationToken ct)
    {
        if (await CalendarElapses.LongestGapAsync(calendars, ct) is not { } gap)
        {
            return;
        }

        var slack = TimeSpan.FromSeconds(Math.Min(gap.TotalSeconds / 4, MaxSlack.TotalSeconds));
        var why = $"{string.Join(" and ", calendars.Select(c => $"'{c}'"))}: runs at most {PromDuration.Format(gap)} apart, plus {PromDuration.Format(slack)} to finish";
        limits.Add(new BackupAgeLimit(alert, kinds, what, gap + slack, why, command));
    }
}
