using System.Globalization;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Backups;

/// <summary>
/// When a systemd calendar expression elapses, as systemd itself computes it (systemd-analyze calendar, in UTC like
/// the hosts), so a schedule means the same to the local scheduler, the alert thresholds and a cloud host's timer.
/// </summary>
public static class CalendarElapses
{
    /// <summary>The next <paramref name="count"/> times <paramref name="calendar"/> elapses after <paramref name="after"/>.</summary>
    public static async Task<IReadOnlyList<DateTimeOffset>> NextAsync(string calendar, DateTimeOffset after, int count, CancellationToken ct)
    {
        var analyze = await ProcessRunner.RunAsync("systemd-analyze",
            ["calendar", $"--base-time=@{after.ToUnixTimeSeconds()}", $"--iterations={count}", calendar], ct, [new("TZ", "UTC")]);
        // "    Next elapse: Sun 2026-11-22 01:00:00 UTC", then "       Iter. #2: Sun 2026-11-29 01:00:00 UTC", …
        var times = analyze.Stdout.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Next elapse:", StringComparison.Ordinal) || l.StartsWith("Iter. #", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' '))
            .Select(p => DateTimeOffset.ParseExact($"{p[1]} {p[2]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            .ToList();
        return analyze.ExitCode != 0 || times.Count == 0
            ? throw new InvalidDataException($"systemd-analyze does not accept the calendar '{calendar}'")
            : times;
    }

    /// <summary>
    /// The longest wait between two runs when <paramref name="calendars"/> all count as runs of one thing, over the
    /// 64 runs of each after a fixed Monday (2026-01-05), so the answer never depends on today's date. Null for a
    /// calendar that runs once (a fixed date): it has no cadence to hold a backup to.
    /// </summary>
    public static async Task<TimeSpan?> LongestGapAsync(IEnumerable<string> calendars, CancellationToken ct)
    {
        var origin = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var each = new List<IReadOnlyList<DateTimeOffset>>();
        foreach (var calendar in calendars)
        {
            each.Add(await NextAsync(calendar, origin, 64, ct));
        }

        // Only up to the end of the shortest list: past it, a frequent calendar's runs are not listed and would look missing.
        var horizon = each.Min(runs => runs[^1]);
        var ordered = each.SelectMany(runs => runs).Where(t => t <= horizon).Distinct().Order().ToList();
        return ordered.Count < 2 ? null : ordered.Zip(ordered.Skip(1), (a, b) => b - a).Max();
    }
}
