using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// The stack's alert rules in Azure Monitor managed Prometheus: one AlertPrometheusRuleGroup per group of the file
/// `./hainfra render --alerts` prints (the same rendered text aws loads into its workspace and promtool checks), read
/// back rule by rule (<see cref="AlertRuleFile"/>), because Azure takes rules as structured objects, not as a file.
/// Each alert keeps its expression, labels and annotations as rendered; its <c>for</c> becomes ISO 8601; the
/// severity label picks the Azure severity; every alert notifies the stack's action group.
/// </summary>
internal static class PrometheusRuleGroups
{
    /// <summary>Azure evaluates a rule group at most once a minute (AMP too): a shorter <c>for</c> acts as a minute.</summary>
    public const string Interval = "PT1M";

    /// <summary>
    /// A fired alert resolves after one evaluation that no longer matches (the shortest Azure allows), closest to
    /// Prometheus, which resolves at the first such evaluation.
    /// </summary>
    public const string TimeToResolve = "PT1M";

    public static void Add(AzureContext ctx, string renderedRules, Resource actionGroup)
    {
        var primary = ctx.PrimaryRegion;
        var prefix = $"hainfra-{ctx.Stack}-";
        foreach (var group in AlertRuleFile.Parse(renderedRules))
        {
            var part = group.Name.StartsWith(prefix, StringComparison.Ordinal) ? group.Name[prefix.Length..] : group.Name;
            ctx.Graph.Add($"alert-rules-{part}", "azure:monitoring:AlertPrometheusRuleGroup", P.Map([
                ("name", group.Name),
                .. ctx.In(primary),
                ("description", $"HaInfra {ctx.Stack}: the {part} alerts of templates/monitoring/alerts.yml.sbn (./hainfra render --alerts)"),
                ("scopes", P.List(ctx.Metrics.Workspace["id"])),
                ("interval", Interval),
                ("ruleGroupEnabled", true),
                ("rules", P.List(group.Rules.Select(r => (PValue)Rule(r, actionGroup)))),
                ("tags", ctx.Tags())]), ctx.Via());
        }
    }

    /// <summary>One rendered alert as Azure's rule object.</summary>
    public static PMap Rule(AlertRule rule, Resource actionGroup) => P.Map(
        ("alert", rule.Alert),
        // Unset, the provider sends enabled: false.
        ("enabled", true),
        ("expression", rule.Expr),
        ("for", rule.For is { } span ? (PValue)System.Xml.XmlConvert.ToString(span) : null),
        ("severity", Severity(rule)),
        ("labels", Pairs(rule.Labels)),
        ("annotations", Pairs(rule.Annotations)),
        ("actions", P.List(P.Map(("actionGroupId", actionGroup["id"])))),
        ("alertResolution", P.Map(("autoResolved", true), ("timeToResolve", TimeToResolve))));

    /// <summary>Azure's severities: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose.</summary>
    public static int Severity(AlertRule rule) =>
        rule.Labels.FirstOrDefault(l => l.Key == "severity").Value switch
        {
            "critical" => 0,
            "warning" => 2,
            "info" => 3,
            var other => throw new InvalidOperationException($"alert {rule.Alert}: severity '{other}' has no Azure severity"),
        };

    private static PMap? Pairs(IReadOnlyList<KeyValuePair<string, string>> pairs) =>
        pairs.Count == 0 ? null : P.Map(pairs.Select(p => (p.Key, (PValue)p.Value)));
}
