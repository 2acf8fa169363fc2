using System.Text;

namespace HaInfra.Operations.Planning;

/// <summary>The plan for a terminal: plain text, coloured (ANSI) only when asked (the CLI asks when stdout is a TTY).</summary>
public static class PlanTerminalWriter
{
    public static string Write(Plan plan, bool colour)
    {
        string Paint(string text, string code) => colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
        var verdictColour = plan.Verdict.Kind switch
        {
            VerdictKind.Destructive => "1;31",
            VerdictKind.NeedsRestart => "1;33",
            VerdictKind.Safe => "1;32",
            _ => "1",
        };
        var o = new StringBuilder();
        o.Append(PlanText.Title(plan)).Append('\n');
        o.Append(Paint($"verdict: {plan.Verdict.Text}", verdictColour)).Append('\n');
        o.Append(PlanText.PrimaryLine(plan)).Append('\n');

        o.Append("\ntopology (before → after; + added, - removed, ~ changed)\n");
        foreach (var (mark, text) in TopologyPicture.Ascii(plan))
        {
            var line = $"  {mark} {text}";
            o.Append(mark switch { '+' => Paint(line, "32"), '-' => Paint(line, "31"), '~' => Paint(line, "33"), _ => line }).Append('\n');
        }

        Section(o, $"hosts: {PlanText.HostSummary(plan.Hosts)}", PlanText.HostLines(plan.Hosts));
        Section(o, $"risks: {plan.Risks.Count}", plan.Risks.Select(r => Paint($"{PlanText.Level(r.Level),-11}", r.Level == RiskLevel.Destructive ? "1;31" : "33") + $" {r.Code}: {r.Text}"));
        Section(o, $"settings: {plan.Settings.Count} changed", plan.Settings.Select(PlanText.Setting));

        o.Append($"\nmy.cnf: {plan.Options.Count} host{(plan.Options.Count == 1 ? "" : "s")} with changed keys\n");
        foreach (var host in plan.Options)
        {
            o.Append($"  {host.Host}{(host.NeedsRestart ? " (restart)" : "")}\n");
            foreach (var change in host.Changes)
            {
                o.Append($"    {PlanText.Option(change)}  ").Append(Paint(PlanText.EffectWords(change.Effect), change.Effect == OptionEffect.Restart ? "33" : "32")).Append('\n');
            }
        }

        foreach (var file in plan.FilesChanged)
        {
            o.Append($"  {file}: text changed, no key changed\n");
        }

        if (plan.Options.Count > 0 && plan.ProgramCompared)
        {
            o.Append($"  note: {PlanText.CloudOptionsNote}\n");
        }

        if (plan.ProgramCompared)
        {
            o.Append($"\nresources (synthesized program): {PlanText.ResourceSummary(plan.Resources)}\n");
            foreach (var r in plan.Resources)
            {
                o.Append("  ").Append(r.Op is ResourceOp.Replace or ResourceOp.Delete ? Paint(PlanText.ResourceLine(r), "31") : PlanText.ResourceLine(r)).Append('\n');
                foreach (var p in r.Properties)
                {
                    o.Append($"      {PlanText.PropertyLine(p)}\n");
                }
            }
        }

        return o.ToString();
    }

    private static void Section(StringBuilder o, string title, IEnumerable<string> lines)
    {
        o.Append('\n').Append(title).Append('\n');
        foreach (var line in lines)
        {
            o.Append("  ").Append(line).Append('\n');
        }
    }
}
