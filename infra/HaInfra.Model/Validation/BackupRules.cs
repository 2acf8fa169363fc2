using System.Text.RegularExpressions;
using HaInfra.Model.Backups;
using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules on the backup policy: schedules, retention that keeps chains whole, storage-class timing, keys, objectives.</summary>
internal static partial class BackupRules
{
    public const int MinInfrequentAccessDays = 30;
    public const int MaxRetentionDays = 3650;
    private const string Path = ConfigKeys.Backup;

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        var backup = dto.Backup;
        if (backup is null)
        {
            return;
        }

        var destination = ctx.Parse(backup.Destination, $"{Path}.destination", BackupSpellings.Destination, "backup destination", BackupDestination.S3);
        CheckDestinationMatchesCloud(dto, backup, destination, ctx);
        var source = ctx.Parse(backup.TakenFrom, $"{Path}.takenFrom", BackupSpellings.Source, "backup source", BackupSource.Replica);
        CheckHost(dto, backup, source, ctx);
        CheckSchedules(backup.Schedules, ctx);
        CheckRetention(backup.Retention, ctx);
        CheckLifecycle(backup, ctx);
        ctx.InRange(backup.CompressionLevel, $"{Path}.compressionLevel", 1, 19, "(zstd level; 1 is fastest and, on InnoDB pages, about as small as 3)");
        CheckRecipients(backup, ctx);
        CheckObjectives(backup, ctx);
    }

    private static void CheckDestinationMatchesCloud(TopologyDto dto, BackupDto backup, BackupDestination? destination, ValidationContext ctx)
    {
        if (backup.Destination is null || destination is null or BackupDestination.Directory || !Spellings.Cloud.TryParse(dto.Cloud, out var cloud))
        {
            return;
        }

        var expected = BackupPolicy.DestinationFor(cloud);
        if (destination != expected)
        {
            ctx.Add($"{Path}.destination", backup.Destination, $"is not the object storage of cloud {Spellings.Cloud.Of(cloud)}.",
                $"use {BackupSpellings.Destination.Of(expected)} (or directory, for the local target only).");
        }
    }

    private static void CheckHost(TopologyDto dto, BackupDto backup, BackupSource? source, ValidationContext ctx)
    {
        if (backup.Host is null)
        {
            return;
        }

        var sites = dto.Sites ?? [];
        var index = sites.SelectMany(s => (s.Hosts ?? []).Select((h, i) => (Site: s, Host: h, Index: i)))
            .FirstOrDefault(x => x.Host.Name == backup.Host);
        if (index.Host is null)
        {
            var names = string.Join(", ", sites.SelectMany(s => s.Hosts ?? []).Select(h => h.Name));
            ctx.Add($"{Path}.host", backup.Host, "is not a host of this stack.", $"name one of: {names}.");
            return;
        }

        var isPrimary = Spellings.SiteKind.TryParse(index.Site.Kind, out var kind) && kind == SiteKind.Primary && index.Index == 0;
        if (isPrimary && source == BackupSource.Replica && sites.Sum(s => s.Hosts?.Count ?? 0) > 1)
        {
            ctx.Add($"{Path}.host", backup.Host, "is the primary, but takenFrom is replica.",
                "name a replica, or set takenFrom: primary if backups must run on the primary.");
        }
    }

    private static void CheckSchedules(BackupSchedulesDto? schedules, ValidationContext ctx)
    {
        foreach (var (name, value) in new[] { ("full", schedules?.Full), ("incremental", schedules?.Incremental), ("logical", schedules?.Logical) })
        {
            if (value is not null && !IsCalendar(value))
            {
                ctx.Add($"{Path}.schedules.{name}", value, "is not a systemd calendar expression.",
                    "write e.g. \"Sun *-*-* 01:00:00\", \"Mon..Sat *-*-* 01:00:00\", \"*-*-* 00/6:00:00\" or daily (see man systemd.time).");
            }
        }
    }

    private static void CheckRetention(BackupRetentionDto? retention, ValidationContext ctx)
    {
        var days = new[]
        {
            ("fullDays", retention?.FullDays), ("incrementalDays", retention?.IncrementalDays),
            ("logicalDays", retention?.LogicalDays), ("binlogDays", retention?.BinlogDays),
        };
        foreach (var (name, value) in days)
        {
            ctx.InRange(value, $"{Path}.retention.{name}", 1, MaxRetentionDays, "days");
        }

        var full = retention?.FullDays ?? BackupPolicy.DefaultRetention.FullDays;
        var incremental = retention?.IncrementalDays ?? BackupPolicy.DefaultRetention.IncrementalDays;
        if (full < incremental && !ctx.Reported($"{Path}.retention.fullDays") && !ctx.Reported($"{Path}.retention.incrementalDays"))
        {
            ctx.Add($"{Path}.retention.fullDays", full.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"full backups would expire before the incrementals built on them ({incremental} days), breaking those chains.",
                $"keep full backups at least {incremental} days, or shorten incrementalDays.");
        }
    }

    private static void CheckLifecycle(BackupDto backup, ValidationContext ctx)
    {
        var lifecycle = backup.Lifecycle;
        var ia = lifecycle?.FullToInfrequentAccessDays ?? BackupPolicy.DefaultLifecycle.FullToInfrequentAccessDays;
        var archive = lifecycle?.FullToArchiveDays ?? BackupPolicy.DefaultLifecycle.FullToArchiveDays;
        var expiry = backup.Retention?.FullDays ?? BackupPolicy.DefaultRetention.FullDays;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (ia < MinInfrequentAccessDays)
        {
            ctx.Add($"{Path}.lifecycle.fullToInfrequentAccessDays", ia.ToString(invariant),
                $"object stores accept the infrequent-access move only after {MinInfrequentAccessDays} days (S3 STANDARD_IA).",
                $"use {MinInfrequentAccessDays} or more.");
        }
        else if (archive <= ia)
        {
            ctx.Add($"{Path}.lifecycle.fullToArchiveDays", archive.ToString(invariant),
                $"full backups must reach infrequent access (day {ia}) before the archive tier.", $"use more than {ia} days.");
        }
        else if (expiry <= archive && !ctx.Reported($"{Path}.retention.fullDays"))
        {
            ctx.Add($"{Path}.retention.fullDays", expiry.ToString(invariant),
                $"full backups expire before they would move to the archive tier (day {archive}).",
                $"keep full backups longer than {archive} days, or move them to archive sooner.");
        }
    }

    private static void CheckRecipients(BackupDto backup, ValidationContext ctx)
    {
        var recipients = backup.Recipients ?? [];
        if (backup.Enabled == true && recipients.Count == 0)
        {
            ctx.Missing($"{Path}.recipients", "the list of backup recipients (age public keys)",
                "generate a key pair on an operator machine with age-keygen and list its public key (age1…); database hosts only ever get public keys.");
        }

        for (var i = 0; i < recipients.Count; i++)
        {
            if (!AgeRecipient().IsMatch(recipients[i]))
            {
                var looksPrivate = recipients[i].StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase);
                ctx.Add($"{Path}.recipients[{i}]", looksPrivate ? null : recipients[i],
                    looksPrivate ? "is an age PRIVATE key; it must never be in a stack file." : "is not an age public key.",
                    looksPrivate ? "remove it now, rotate that key, and list only its public key (age1…)." : "use the public key printed by age-keygen: age1 followed by 58 characters.");
            }
        }
    }

    private static void CheckObjectives(BackupDto backup, ValidationContext ctx)
    {
        ctx.InRange(backup.Objectives?.RpoSeconds, $"{Path}.objectives.rpoSeconds", 1, 7 * 86400, "seconds");
        ctx.InRange(backup.Objectives?.RtoMinutes, $"{Path}.objectives.rtoMinutes", 1, 7 * 1440, "minutes");
        var rpo = backup.Objectives?.RpoSeconds ?? BackupPolicy.DefaultObjectives.RpoSeconds;
        if (backup.BinlogArchive == false && rpo < 86400)
        {
            ctx.Add($"{Path}.binlogArchive", "false", $"without the binlog archive, data written since the last backup is lost: the RPO of {rpo} s cannot be met.",
                "set binlogArchive: true, or raise objectives.rpoSeconds to at least 86400 if a daily loss is acceptable.");
        }
    }

    private static readonly string[] CalendarShorthands = ["minutely", "hourly", "daily", "weekly", "monthly", "yearly", "annually", "quarterly", "semiannually"];

    private static bool IsCalendar(string value) =>
        CalendarShorthands.Contains(value, StringComparer.Ordinal) || Calendar().IsMatch(value);

    // [weekdays] [date] time, as in systemd.time(7): "Mon..Fri *-*-* 01:00:00", "*-*-* 00/6:00", "Sun 03:30".
    [GeneratedRegex(@"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun)(\.\.(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(\.\.(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)* )?([0-9*][0-9*,./]*-[0-9*][0-9*,./]*-[0-9*][0-9*,./~]* )?[0-9*][0-9*,/]*:[0-9*][0-9*,/]*(:[0-9*][0-9*,/.]*)?$")]
    private static partial Regex Calendar();

    [GeneratedRegex("^age1[02-9ac-hj-np-z]{58}$")]
    private static partial Regex AgeRecipient();
}
