using System.Globalization;
using HaInfra.Model;
using HaInfra.Operations.Backups;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;

namespace HaInfra.Operations.Monitoring;

/// <summary>
/// A stack's alert rules with the thresholds that come from its backup schedules: a kind of backup may be as old as
/// the longest wait between two of its scheduled runs, plus a quarter of that wait (at most 12 hours) for the run
/// itself to finish. The waits are systemd's own calendar arithmetic, from one systemd-analyze run for all schedules.
/// </summary>
public static class AlertPlan
{
    private static readonly TimeSpan MaxSlack = TimeSpan.FromHours(12);

    public static async Task<string> RenderAsync(TemplateRenderer renderer, Topology topology, string dataMountpoint, CancellationToken ct) =>
        AlertRulesRenderer.Render(renderer, topology, await ThresholdsAsync(topology, dataMountpoint, ct));

    /// <param name="cacheDir">
    /// Where the schedule gaps may be kept, one small file per set of calendars (they depend on nothing else: a fixed
    /// origin, systemd's arithmetic); null computes them every time. `synth` runs on every Pulumi preview and passes
    /// the checkout's .build/cache, so systemd-analyze runs once per schedule change rather than once per preview.
    /// </param>
    public static async Task<AlertThresholds> ThresholdsAsync(Topology topology, string dataMountpoint, CancellationToken ct, string? cacheDir = null)
    {
        var limits = new List<BackupAgeLimit>();
        if (topology.Backup.Enabled)
        {
            var s = topology.Backup.Schedules;
            var wanted = new (string Alert, string[] Kinds, string What, string[] Calendars, string Command)[]
            {
                ("HaInfraFullBackupTooOld", ["full"], "full backup", [s.Full], "full"),
                ("HaInfraRestorePointTooOld", ["full", "incremental"], "full or incremental backup", [s.Full, s.Incremental], "incremental"),
                ("HaInfraLogicalBackupTooOld", ["logical"], "logical backup", [s.Logical], "logical"),
            };
            var gaps = await GapsAsync([.. wanted.Select(w => (IReadOnlyList<string>)w.Calendars)], cacheDir, ct);
            foreach (var (w, gap) in wanted.Zip(gaps))
            {
                if (gap is not { } g)
                {
                    continue;
                }

                var slack = TimeSpan.FromSeconds(Math.Min(g.TotalSeconds / 4, MaxSlack.TotalSeconds));
                var why = $"{string.Join(" and ", w.Calendars.Select(c => $"'{c}'"))}: runs at most {PromDuration.Format(g)} apart, plus {PromDuration.Format(slack)} to finish";
                limits.Add(new BackupAgeLimit(w.Alert, w.Kinds, w.What, g + slack, why, w.Command));
            }
        }

        return new AlertThresholds(limits, AlertThresholds.DefaultVerifyMaxAge, dataMountpoint);
    }

    private static async Task<IReadOnlyList<TimeSpan?>> GapsAsync(IReadOnlyList<IReadOnlyList<string>> groups, string? cacheDir, CancellationToken ct)
    {
        // The file is named by a hash of the groups and holds them on its first line (a hash collision reads as a
        // miss), then one line per group: seconds, or "-" for none. FNV-1a, not SHA-256: SHA-256 loads OpenSSL
        // into the process, milliseconds on every synth for a file name.
        var key = "v1 " + string.Join(" | ", groups.Select(g => string.Join(" & ", g)));
        var file = cacheDir is null ? null : Path.Combine(cacheDir, $"calendar-gaps-{Fnv1a(key):x16}");
        if (file is not null && TryRead(file, key, groups.Count) is { } cached)
        {
            return cached;
        }

        var gaps = await CalendarElapses.LongestGapsAsync(groups, ct);
        if (file is not null)
        {
            TryWrite(file, key, gaps);
        }

        return gaps;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static List<TimeSpan?>? TryRead(string file, string key, int count)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            if (lines.Length != count + 1 || lines[0] != key)
            {
                return null;
            }

            var gaps = new List<TimeSpan?>();
            foreach (var line in lines.Skip(1))
            {
                if (line == "-")
                {
                    gaps.Add(null);
                }
                else if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                {
                    gaps.Add(TimeSpan.FromSeconds(seconds));
                }
                else
                {
                    return null;
                }
            }

            return gaps;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Best effort, written whole then renamed: a reader sees the old file, the new one, or none.
    private static void TryWrite(string file, string key, IReadOnlyList<TimeSpan?> gaps)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temp = $"{file}.{Environment.ProcessId}.tmp";
            File.WriteAllLines(temp, [key, .. gaps.Select(g => g is { } x ? ((long)x.TotalSeconds).ToString(CultureInfo.InvariantCulture) : "-")]);
            File.Move(temp, file, overwrite: true);
        }
        catch (IOException)
        {
            // No cache: the next run computes the gaps again.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
