using System.Globalization;
using System.Text;

namespace HaInfra.Operations.Planning;

/// <summary>
/// The plan as a pull-request comment: verdict first, then the topology as Mermaid (GitHub draws it), risks, and the
/// long lists (settings, my.cnf per host, resources) in collapsible sections. GitHub refuses comments over 65,536
/// characters, so a plan that would not fit lists fewer items per section until it does, and says what it left out.
/// </summary>
public static class PlanMarkdownWriter
{
    public const int GitHubCommentLimit = 65536;

    /// <summary>Room kept for the trim note and a sticky-comment action's own marker.</summary>
    private const int Budget = GitHubCommentLimit - 1536;

    private static readonly int[] ItemCaps = [int.MaxValue, 400, 200, 100, 50, 25, 10, 5, 2];

    public static string Write(Plan plan)
    {
        foreach (var cap in ItemCaps)
        {
            var text = Render(plan, cap, out var trimmed);
            if (text.Length <= Budget)
            {
                return trimmed == 0 ? text : text + TrimNote(trimmed);
            }
        }

        // Only a pathological plan gets here (thousands of risks): cut at a line and say so.
        var last = Render(plan, ItemCaps[^1], out _);
        var cut = last.LastIndexOf('\n', Budget - 200);
        return last[..cut] + "\n\n</details>\n\n" + TrimNote(-1);
    }

    private static string TrimNote(int trimmed) =>
        $"\n> **Trimmed to fit GitHub's {GitHubCommentLimit.ToString("N0", CultureInfo.InvariantCulture)}-character comment limit**"
        + (trimmed > 0 ? $": {trimmed.ToString(CultureInfo.InvariantCulture)} item(s) left out." : ".")
        + " Run `./hainfra plan` locally (or `--format json`) for the whole plan.\n";

    private static string Render(Plan plan, int cap, out int trimmed)
    {
        var left = 0;
        var o = new StringBuilder();
        var icon = plan.Verdict.Kind switch
        {
            VerdictKind.Destructive => ":stop_sign:",
            VerdictKind.NeedsRestart => ":warning:",
            VerdictKind.Safe => ":white_check_mark:",
            _ => ":heavy_minus_sign:",
        };
        o.Append($"### HaInfra plan: stack `{plan.Stack}`\n\n");
        o.Append($"{icon} **{Escape(plan.Verdict.Text)}**\n\n");
        o.Append($"{Escape(plan.BaseLabel)} → {Escape(plan.HeadLabel)} · {Escape(PlanText.PrimaryLine(plan))}\n\n");

        o.Append("#### Topology after\n\n```mermaid\n").Append(TopologyPicture.Mermaid(plan.After, plan.Primary.Host, plan, isBefore: false)).Append("```\n\n");
        if (plan.Before is not null && !ReferenceEquals(plan.Before, plan.After))
        {
            o.Append("<details><summary>Topology before</summary>\n\n```mermaid\n")
                .Append(TopologyPicture.Mermaid(plan.Before, plan.Primary.Host, plan, isBefore: true)).Append("```\n\n</details>\n\n");
        }

        o.Append($"#### Hosts: {PlanText.HostSummary(plan.Hosts)}\n\n");
        left += List(o, PlanText.HostLines(plan.Hosts).ToList(), cap, line => $"- `{line[0]}` {Escape(line[2..])}");

        o.Append($"#### Risks ({plan.Risks.Count})\n\n");
        if (plan.Risks.Count == 0)
        {
            o.Append("None found.\n\n");
        }
        else
        {
            left += List(o, plan.Risks, cap, r => $"- {(r.Level == RiskLevel.Destructive ? ":stop_sign: **DESTRUCTIVE**" : ":warning: warning")} `{r.Code}`: {Escape(r.Text)}");
        }

        left += Details(o, $"Settings changed ({plan.Settings.Count})", plan.Settings, cap, s => $"- `{PlanText.Setting(s)}`");

        var keys = plan.Options.Sum(h => h.Changes.Count);
        if (plan.Options.Count > 0 || plan.FilesChanged.Count > 0)
        {
            o.Append($"<details><summary>my.cnf: {keys} key change(s) on {plan.Options.Count} host(s); restart needed on {plan.Restarts.Count}</summary>\n\n");
            var shown = 0;
            foreach (var host in plan.Options)
            {
                o.Append($"**{host.Host}**{(host.NeedsRestart ? " (restart)" : "")}\n\n| section | key | before | after | applies |\n|---|---|---|---|---|\n");
                foreach (var c in host.Changes)
                {
                    if (shown++ >= cap)
                    {
                        left++;
                        continue;
                    }

                    o.Append($"| {Cell(c.Section)} | `{Cell(c.Key)}` | {Cell(c.Old ?? "(unset)")} | {Cell(c.New ?? "(unset)")} | {PlanText.EffectWords(c.Effect)} |\n");
                }

                o.Append('\n');
            }

            foreach (var file in plan.FilesChanged)
            {
                o.Append($"- `{file}`: text changed, no key changed\n");
            }

            if (plan.Options.Count > 0 && plan.ProgramCompared)
            {
                o.Append($"\n_{Escape(PlanText.CloudOptionsNote)}_\n");
            }

            o.Append("\n</details>\n\n");
        }

        if (plan.ProgramCompared)
        {
            o.Append($"<details><summary>Resources: {PlanText.ResourceSummary(plan.Resources)}</summary>\n\n");
            var shown = 0;
            foreach (var r in plan.Resources)
            {
                if (shown++ >= cap)
                {
                    left++;
                    continue;
                }

                o.Append($"- `{PlanText.ResourceLine(r)}`\n");
                foreach (var p in r.Properties.Take(Math.Max(1, cap)))
                {
                    o.Append($"  - `{PlanText.PropertyLine(p)}`\n");
                }

                left += Math.Max(0, r.Properties.Count - Math.Max(1, cap));
            }

            o.Append("\n</details>\n");
        }

        trimmed = left;
        return o.ToString();
    }

    private static int List<T>(StringBuilder o, IReadOnlyList<T> items, int cap, Func<T, string> line)
    {
        foreach (var item in items.Take(cap))
        {
            o.Append(line(item)).Append('\n');
        }

        o.Append('\n');
        return Math.Max(0, items.Count - cap);
    }

    private static int Details<T>(StringBuilder o, string summary, IReadOnlyList<T> items, int cap, Func<T, string> line)
    {
        if (items.Count == 0)
        {
            return 0;
        }

        o.Append($"<details><summary>{Escape(summary)}</summary>\n\n");
        var left = List(o, items, cap, line);
        o.Append("</details>\n\n");
        return left;
    }

    /// <summary>Markdown and HTML metacharacters in free text (host names and values come from the stack file).</summary>
    private static string Escape(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("&lt;br/&gt;", "<br/>", StringComparison.Ordinal);

    private static string Cell(string text) => Escape(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}
