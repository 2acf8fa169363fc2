using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>The words every output format shares, so the terminal, Markdown and JSON say the same thing.</summary>
public static class PlanText
{
    public static string Title(Plan plan) => $"plan for stack {plan.Stack}: {plan.BaseLabel} → {plan.HeadLabel}";

    public static string PrimaryLine(Plan plan) => $"primary: {plan.Primary.Host} ({plan.Primary.Source})";

    public static string HostSummary(HostChanges hosts) =>
        $"{hosts.Added.Count} added, {hosts.Removed.Count} removed, {hosts.Changed.Select(c => c.Host).Distinct().Count()} changed";

    public static string Described(Host host) => $"{host.Name} (site {host.Site}, zone {host.Zone}, {HostChanges.SizeText(host.Size)}, {host.DataDiskGb} GB data disk)";

    public static IEnumerable<string> HostLines(HostChanges hosts)
    {
        foreach (var host in hosts.Added)
        {
            yield return $"+ {Described(host)}";
        }

        foreach (var host in hosts.Removed)
        {
            yield return $"- {Described(host)}";
        }

        foreach (var group in hosts.Changed.GroupBy(c => c.Host))
        {
            yield return $"~ {group.Key}: {string.Join(", ", group.Select(c => $"{c.Attribute} {c.Old} → {c.New}"))}";
        }
    }

    public static string Setting(SettingChange c) => c switch
    {
        { Old: null } => $"+ {c.Path}: {c.New}",
        { New: null } => $"- {c.Path}: {c.Old}",
        _ => $"~ {c.Path}: {c.Old} → {c.New}",
    };

    public static string Option(OptionChange c) =>
        $"[{c.Section}] {c.Key}: {c.Old ?? "(unset)"} → {c.New ?? "(unset)"}";

    /// <summary>How a changed key takes effect, for people (terminal, Markdown).</summary>
    public static string EffectWords(OptionEffect effect) => effect switch
    {
        OptionEffect.Dynamic => "dynamic",
        OptionEffect.DynamicReplicaStopped => "dynamic, replica threads stopped",
        _ => "restart",
    };

    /// <summary>How a changed key takes effect, as the JSON schema spells it.</summary>
    public static string Effect(OptionEffect effect) => effect switch
    {
        OptionEffect.Dynamic => "dynamic",
        OptionEffect.DynamicReplicaStopped => "dynamic-replica-stopped",
        _ => "restart",
    };

    public static string ResourceSummary(IReadOnlyList<ResourceChange> resources) =>
        string.Join(", ", new[] { ResourceOp.Create, ResourceOp.Update, ResourceOp.Replace, ResourceOp.Delete }
            .Select(op => $"{resources.Count(r => r.Op == op)} to {OpWord(op)}"));

    public static string OpWord(ResourceOp op) => op switch
    {
        ResourceOp.Create => "create",
        ResourceOp.Update => "change",
        ResourceOp.Replace => "replace",
        _ => "delete",
    };

    public static char OpMark(ResourceOp op) => op switch
    {
        ResourceOp.Create => '+',
        ResourceOp.Update => '~',
        ResourceOp.Replace => '±',
        _ => '-',
    };

    public static string ResourceLine(ResourceChange r) =>
        $"{OpMark(r.Op)} {r.Name} ({r.Type}) {OpWord(r.Op)}{(r.HoldsData && r.Op is ResourceOp.Replace or ResourceOp.Delete ? ", HOLDS DATA" : "")}"
        + (r.ReplaceReasons.Count > 0 ? $": {string.Join("; ", r.ReplaceReasons)}" : "")
        + (r.Source == "offline" ? "" : r.Source == "pulumi" ? " [pulumi preview only]" : " [offline + pulumi preview]");

    public static string PropertyLine(PropertyChange p) =>
        $"{p.Path}: {p.Old ?? "(none)"} → {p.New ?? "(none)"}{(p.ForcesReplacement ? "  (forces replacement)" : "")}";

    public static string Level(RiskLevel level) => level == RiskLevel.Destructive ? "DESTRUCTIVE" : "warning";

    /// <summary>Said when a cloud stack's my.cnf changes: instances ignore userData changes, so Pulumi will not apply them.</summary>
    public const string CloudOptionsNote =
        "the cloud hosts' my.cnf comes from cloud-init, which runs once: these keys reach running hosts only when applied there (SET GLOBAL for dynamic keys; a restart for the others).";
}
