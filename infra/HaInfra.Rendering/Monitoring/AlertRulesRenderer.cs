using System.Globalization;
using HaInfra.Model;

namespace HaInfra.Rendering.Monitoring;

/// <summary>
/// Renders a stack's Prometheus alerting rules from templates/monitoring/alerts.yml.sbn: availability, replication,
/// storage and backup alerts, with thresholds from the stack's objectives (lag: warning at half the RPO, critical at
/// the RPO; binlog archive: the RPO) and from its backup schedules (<see cref="AlertThresholds"/>).
/// </summary>
public static class AlertRulesRenderer
{
    public const string Template = "monitoring/alerts";

    // Prometheus' own template language inside annotations: passed as values so Scriban never parses them.
    private const string LabelHost = "{{ $labels.host }}";
    private const string LabelKind = "{{ $labels.kind }}";
    private const string Value = "{{ $value }}";
    private const string ValueAsDuration = "{{ $value | humanizeDuration }}";

    // absent() has the value 1, an archive that reported is behind by more than the RPO: the two read differently.
    private const string ArchiveLag =
        "{{ if eq $value 1.0 }}the binlog archive has never reported what it holds{{ else }}the binlog archive lacks the primary's transactions of the last {{ $value | humanizeDuration }}{{ end }}";

    public static string Render(TemplateRenderer renderer, Topology topology, AlertThresholds thresholds)
    {
        var entry = renderer.Catalog.Get(Template);
        var invariant = CultureInfo.InvariantCulture;
        var rpo = topology.Backup.Objectives.RpoSeconds;
        // The semi-sync replicas a primary of the primary region should have: every host of a semi-sync site but itself.
        var semiSyncHosts = topology.Hosts.Count(h => topology.SiteOf(h).Mode == ReplicationMode.SemiSync && topology.InPrimaryRegion(h));
        var backups = topology.Backup.Enabled;
        return renderer.Render(Template, new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"stack {topology.Stack}"),
            ["stack"] = topology.Stack,
            ["thresholdNote"] = ThresholdNote(topology, thresholds),
            ["labelHost"] = LabelHost,
            ["labelKind"] = LabelKind,
            ["value"] = Value,
            ["valueAsDuration"] = ValueAsDuration,
            ["archiveLag"] = ArchiveLag,
            ["firstFullWithin"] = PromDuration.Format(thresholds.BackupAges.FirstOrDefault(b => b.Kinds.SequenceEqual(["full"]))?.MaxAge ?? TimeSpan.FromDays(8)),
            ["ioError"] = ErrorQuery("io"),
            ["sqlError"] = ErrorQuery("sql"),
            ["singleWriter"] = true,
            ["autoFailover"] = topology.Failover.Auto,
            ["rpoSeconds"] = rpo.ToString(invariant),
            ["lagWarningSeconds"] = Math.Max(1, rpo / 2).ToString(invariant),
            ["semiSync"] = topology.PrimaryWaitsForSemiSync,
            ["semiSyncReplicas"] = Math.Max(1, semiSyncHosts - 1).ToString(invariant),
            ["semiSyncTimeoutMs"] = topology.Replication.SemiSyncTimeoutMs.ToString(invariant),
            ["sourceWord"] = topology.Flavor == ServerFlavor.MySql ? "source" : "master",
            ["dataMountpoint"] = thresholds.DataMountpoint,
            ["backups"] = backups,
            ["archive"] = backups && topology.Backup.BinlogArchive,
            ["backupAges"] = thresholds.BackupAges.Select(b => new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["alert"] = b.Alert,
                ["kinds"] = string.Join('|', b.Kinds),
                ["what"] = b.What,
                ["maxAgeSeconds"] = ((long)b.MaxAge.TotalSeconds).ToString(invariant),
                ["maxAge"] = PromDuration.Format(b.MaxAge),
                ["why"] = b.Why,
                ["command"] = b.Command,
                ["severity"] = "warning",
            }).ToList(),
            ["verifyMaxAgeSeconds"] = ((long)thresholds.VerifyMaxAge.TotalSeconds).ToString(invariant),
            ["verifyMaxAge"] = PromDuration.Format(thresholds.VerifyMaxAge),
        });
    }

    /// <summary>The replica's last IO or SQL error, from the textfile metric the failover monitor writes (mysqld_exporter drops text columns).</summary>
    private static string ErrorQuery(string thread) =>
        "{{ range query (printf `hainfra_replication_error_info{stack=\"%s\",host=\"%s\",thread=\"" + thread + "\"}` $labels.stack $labels.host) }}{{ .Labels.error }}{{ end }}";

    private static string ThresholdNote(Topology topology, AlertThresholds thresholds)
    {
        var rpo = topology.Backup.Objectives.RpoSeconds;
        var parts = new List<string> { $"replication lag warning at {Math.Max(1, rpo / 2)} s and critical at {rpo} s (hainfra:backup.objectives.rpoSeconds)" };
        if (topology.Backup.Enabled)
        {
            parts.AddRange(thresholds.BackupAges.Select(b => $"{b.What} at most {PromDuration.Format(b.MaxAge)} old"));
            parts.Add($"a restore verification at most {PromDuration.Format(thresholds.VerifyMaxAge)} old");
        }

        return string.Join("; ", parts) + ".";
    }
}
