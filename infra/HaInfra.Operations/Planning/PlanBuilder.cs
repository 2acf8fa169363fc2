using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>
/// Builds a <see cref="Plan"/> from two sides. Pure: the sides were loaded, rendered and synthesized by the caller
/// (the base by the base revision's own build), so every golden case runs without git or a build.
/// </summary>
public static class PlanBuilder
{
    /// <param name="baseSide">Null when the stack does not exist in the base.</param>
    /// <param name="livePrimary">The recorded live primary and where it came from, when the caller knows it.</param>
    /// <param name="pulumiSteps">Resource changes read from a recorded <c>pulumi preview --json</c>, merged into the offline ones.</param>
    public static Plan Build(PlanSide? baseSide, PlanSide head, (string Host, string Source)? livePrimary = null,
        Func<IReadOnlyList<ResourceChange>, IReadOnlyList<ResourceChange>>? mergePulumi = null)
    {
        var before = baseSide?.Topology;
        var after = head.Topology;
        var hosts = HostChanges.Compare(before, after);
        var settings = SettingsDiff.Compare(baseSide?.Config, head.Config);
        // The base's my.cnf files by path (none for a new stack), read by both comparisons below.
        var baseMyCnf = baseSide?.MyCnf.ToDictionary(f => f.RelativePath, f => f.Text, StringComparer.Ordinal);
        var options = OptionChanges(baseMyCnf, head);
        var programCompared = baseSide?.Program is not null || head.Program is not null;
        var resources = programCompared ? ProgramDiff.Compare(baseSide?.Program, head.Program) : [];
        if (mergePulumi is not null)
        {
            resources = mergePulumi(resources);
        }

        var restarts = options.Where(o => o.NeedsRestart).Select(o => o.Host)
            .Concat(hosts.Changed.Where(c => c.Attribute == "size").Select(c => c.Host))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(h => HostOrder(after, h))
            .ToList();
        var filesChanged = FilesChangedWithoutKeys(baseMyCnf, head, options);
        var primary = Primary(before, after, livePrimary);
        var risks = PlanRisks.Find(before, after, hosts, resources, restarts, primary);
        var verdict = Verdict(baseSide is null, hosts, risks, settings, options, restarts, filesChanged, resources);
        return new Plan(after.Stack, baseSide?.Label ?? "base (no such stack)", head.Label, verdict, before, after, primary, hosts, risks,
            settings, options, restarts, filesChanged, resources, programCompared);
    }

    private static PrimaryInPlan Primary(Topology? before, Topology after, (string Host, string Source)? live) =>
        live is { } l
            ? new PrimaryInPlan(l.Host, $"live primary, {l.Source}", before?.InitialPrimary.Name, after.InitialPrimary.Name)
            : new PrimaryInPlan((before ?? after).InitialPrimary.Name, "the configured initial primary; the live primary is not known offline: pass --live-primary",
                before?.InitialPrimary.Name, after.InitialPrimary.Name);

    /// <summary>my.cnf key changes of every host present on both sides, in the head's host order.</summary>
    private static List<HostOptionChanges> OptionChanges(Dictionary<string, string>? old, PlanSide head)
    {
        if (old is null)
        {
            return [];
        }

        return [.. head.MyCnf
            .Where(f => old.ContainsKey(f.RelativePath))
            .Select(f => MyCnfDiff.Compare(HostOf(f.RelativePath), old[f.RelativePath], f.Text))
            .Where(c => c.Changes.Count > 0)];
    }

    private static List<string> FilesChangedWithoutKeys(Dictionary<string, string>? old, PlanSide head, List<HostOptionChanges> options)
    {
        if (old is null)
        {
            return [];
        }

        return [.. head.MyCnf
            .Where(f => old.TryGetValue(f.RelativePath, out var text) && text != f.Text && !options.Any(o => o.Host == HostOf(f.RelativePath)))
            .Select(f => f.RelativePath)];
    }

    private static string HostOf(string relativePath) => relativePath.Split('/')[0];

    private static int HostOrder(Topology topology, string host)
    {
        var index = topology.Hosts.Select(h => h.Name).ToList().IndexOf(host);
        return index < 0 ? int.MaxValue : index;
    }

    private static PlanVerdict Verdict(bool newStack, HostChanges hosts, IReadOnlyList<PlanRisk> risks, IReadOnlyList<SettingChange> settings,
        List<HostOptionChanges> options, List<string> restarts, List<string> filesChanged, IReadOnlyList<ResourceChange> resources)
    {
        var destructive = risks.Where(r => r.Level == RiskLevel.Destructive).ToList();
        var warnings = risks.Count(r => r.Level == RiskLevel.Warning);
        var warningNote = warnings == 0 ? "" : $" ({warnings} warning{(warnings == 1 ? "" : "s")})";
        if (destructive.Count > 0)
        {
            var more = destructive.Count > 1 ? $" (and {destructive.Count - 1} more destructive change{(destructive.Count > 2 ? "s" : "")})" : "";
            return new PlanVerdict(VerdictKind.Destructive, $"DESTRUCTIVE: {destructive[0].Text}{more}");
        }

        if (restarts.Count > 0)
        {
            return new PlanVerdict(VerdictKind.NeedsRestart,
                $"needs restart of {restarts.Count} host{(restarts.Count == 1 ? "" : "s")} ({string.Join(", ", restarts)}){warningNote}");
        }

        var any = newStack || hosts.Any || settings.Count > 0 || options.Count > 0 || filesChanged.Count > 0 || resources.Count > 0 || risks.Count > 0;
        return any
            ? new PlanVerdict(VerdictKind.Safe, (newStack ? "safe: a new stack" : "safe") + warningNote)
            : new PlanVerdict(VerdictKind.NoChanges, "no changes");
    }
}
