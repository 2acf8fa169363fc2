using HaInfra.Operations.Local;
using HaInfra.Operations.Planning;

namespace HaInfra.Cli;

/// <summary>The text of a local plan: one line per host, one per changed option; local plan and local up print the same.</summary>
public static class LocalPlanText
{
    public static void Write(TextWriter output, LocalPlan plan)
    {
        if (!plan.Realized)
        {
            output.WriteLine($"stack '{plan.Stack}' is not realized here: local up creates {string.Join(", ", plan.Hosts.Select(h => h.Host))}.");
            return;
        }

        var width = plan.Hosts.Max(h => h.Host.Length);
        foreach (var host in plan.Hosts)
        {
            output.WriteLine($"  {host.Host.PadRight(width)}  {Headline(host)}");
            var keyWidth = host.Changes.Changes.Select(c => c.Section.Length + c.Key.Length + 3).DefaultIfEmpty(0).Max();
            foreach (var change in host.Changes.Changes)
            {
                var key = $"[{change.Section}] {change.Key}";
                output.WriteLine($"  {"".PadRight(width)}    {key.PadRight(keyWidth)}  {change.Old ?? "(absent)"} -> {change.New ?? "(absent)"}  {Effect(change.Effect)}");
            }
        }

        output.WriteLine(Summary(plan));
    }

    public static string Summary(LocalPlan plan)
    {
        var changed = plan.Hosts.Where(h => h.Changes.Changes.Count > 0).ToList();
        var parts = new List<string>();
        if (changed.Count > 0)
        {
            var restarts = changed.Count(h => h.Changes.NeedsRestart);
            parts.Add($"{changed.Sum(h => h.Changes.Changes.Count)} option change(s) on {changed.Count} host(s), {restarts} of them needing a restart");
        }

        if (plan.Hosts.Count(h => h.Status == LocalHostStatus.Stopped) is var stopped and > 0)
        {
            parts.Add($"{stopped} host(s) not running (local up starts them)");
        }

        if (plan.Hosts.Count(h => h.Status == LocalHostStatus.ToAdd) is var add and > 0)
        {
            parts.Add($"{add} host(s) to add");
        }

        if (plan.Hosts.Count(h => h.Status == LocalHostStatus.ToRemove) is var remove and > 0)
        {
            parts.Add($"{remove} host(s) to remove");
        }

        return parts.Count == 0
            ? $"no changes: every server of stack '{plan.Stack}' runs with the my.cnf local up would write."
            : $"stack '{plan.Stack}': {string.Join("; ", parts)}.";
    }

    private static string Headline(LocalHostPlan host) => host.Status switch
    {
        LocalHostStatus.ToAdd => "to add: in the stack, not here; local up creates it",
        LocalHostStatus.ToRemove => "to remove: here, no longer in the stack; local up leaves it as it is (local down --purge deletes it)",
        LocalHostStatus.Stopped => $"{host.Note ?? "not running; compared with its my.cnf on disk"}: {Count(host)}",
        _ => $"running: {Count(host)}",
    };

    private static string Count(LocalHostPlan host) => host.Changes.Changes.Count switch
    {
        0 => "no changes",
        var n => $"{n} change(s){(host.Changes.NeedsRestart ? ", needs a restart" : ", all dynamic")}",
    };

    private static string Effect(OptionEffect effect) => effect switch
    {
        OptionEffect.Dynamic => "dynamic (SET GLOBAL)",
        OptionEffect.DynamicReplicaStopped => "dynamic with the replica threads stopped (STOP SLAVE; SET GLOBAL; START SLAVE)",
        _ => "restart",
    };
}
