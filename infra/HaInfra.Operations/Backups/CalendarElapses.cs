using System.Globalization;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Backups;

/// <summary>
/// When a systemd calendar expression elapses, as systemd itself computes it (systemd-analyze calendar, in UTC like
/// the hosts), so a schedule means the same to the local scheduler, the alert thresholds and a cloud host's timer.
/// </summary>
public static class CalendarElapses
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The next <paramref name="count"/> times <paramref name="calendar"/> elapses after <paramref name="after"/>.</summary>
    public static async Task<IReadOnlyList<DateTimeOffset>> NextAsync(string calendar, DateTimeOffset after, int count, CancellationToken ct)
    {
        var times = (await NextEachAsync([calendar], after, count, ct))[0];
        return times.Count == 0 ? throw new InvalidDataException($"the calendar '{calendar}' never elapses again") : times;
    }

    /// <summary>
    /// The next <paramref name="count"/> times each of <paramref name="calendars"/> elapses after <paramref name="after"/>,
    /// from one systemd-analyze run (it prints one block per expression, in order); an empty list for a calendar that
    /// never elapses again (a fixed date in the past).
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<DateTimeOffset>>> NextEachAsync(
        IReadOnlyList<string> calendars, DateTimeOffset after, int count, CancellationToken ct)
    {
        if (calendars.Count == 0)
        {
            return [];
        }

        var analyze = await ProcessRunner.RunAsync("systemd-analyze",
            ["calendar", $"--base-time=@{after.ToUnixTimeSeconds()}", $"--iterations={count}", .. calendars], ct, [new("TZ", "UTC")]);
        var blocks = analyze.Stdout.Replace("\r", "", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b.Trim().Length > 0).ToList();
        if (analyze.ExitCode != 0 || blocks.Count != calendars.Count)
        {
            throw new InvalidDataException(
                $"systemd-analyze does not accept the calendar(s) {string.Join(", ", calendars.Select(c => $"'{c}'"))}: {analyze.Stderr.Trim()}");
        }

        return [.. blocks.Select(Times)];
    }

    /// <summary>
    /// The longest wait between two runs for each group of <paramref name="groups"/>, the calendars of a group all
    /// counting as runs of one thing, over the 64 runs of each after a fixed Monday (2026-01-05), so the answer never
    /// depends on today's date. Null for a group that runs less than twice (a fixed date): it has no cadence to hold a
    /// backup to. One systemd-analyze run serves all groups (synth computes these on every Pulumi preview).
    /// </summary>
    public static async Task<IReadOnlyList<TimeSpan?>> LongestGapsAsync(IReadOnlyList<IReadOnlyList<string>> groups, CancellationToken ct)
    {
        var distinct = groups.SelectMany(g => g).Distinct(StringComparer.Ordinal).ToList();
        var runs = await NextEachAsync(distinct, Origin, 64, ct);
        var byCalendar = distinct.Zip(runs).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
        return [.. groups.Select(g => LongestGap(g.Select(c => byCalendar[c]).ToList()))];
    }

    private static TimeSpan? LongestGap(List<IReadOnlyList<DateTimeOffset>> each)
    {
        if (each.Count == 0 || each.Any(runs => runs.Count == 0))
        {
            return null;
        }

        // Only up to the end of the shortest list: past it, a frequent calendar's runs are not listed and would look missing.
        var horizon = each.Min(runs => runs[^1]);
        var ordered = each.SelectMany(runs => runs).Where(t => t <= horizon).Distinct().Order().ToList();
        return ordered.Count < 2 ? null : ordered.Zip(ordered.Skip(1), (a, b) => b - a).Max();
    }

    // "    Next elapse: Sun 2026-11-22 01:00:00 UTC", then "       Iter. #2: Sun 2026-11-29 01:00:00 UTC", …; "Next elapse: never" has none.
    private static List<DateTimeOffset> Times(string block) => block.Split('\n')
        .Select(l => l.Trim())
        .Where(l => (l.StartsWith("Next elapse:", StringComparison.Ordinal) || l.StartsWith("Iter. #", StringComparison.Ordinal)) && !l.EndsWith("never", StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' '))
        .Select(p => DateTimeOffset.ParseExact($"{p[1]} {p[2]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
        .ToList();
}
