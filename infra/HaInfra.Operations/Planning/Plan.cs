using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>The verdict's kind, most severe last.</summary>
public enum VerdictKind
{
    NoChanges,
    Safe,
    NeedsRestart,
    Destructive,
}

/// <summary>The one-line answer a reviewer reads first.</summary>
public sealed record PlanVerdict(VerdictKind Kind, string Text);

/// <summary>
/// What a change to a stack does to its databases, comparing two sides (base and head): the input of every output
/// format. Everything in it is in a deterministic order.
/// </summary>
/// <param name="Before">The base topology; null when the stack is new in the head.</param>
/// <param name="Restarts">Hosts that must restart (a restart-only my.cnf key, or a new size).</param>
/// <param name="FilesChanged">Rendered files whose text differs without a key change (comments, headers).</param>
public sealed record Plan(
    string Stack,
    string BaseLabel,
    string HeadLabel,
    PlanVerdict Verdict,
    Topology? Before,
    Topology After,
    PrimaryInPlan Primary,
    HostChanges Hosts,
    IReadOnlyList<PlanRisk> Risks,
    IReadOnlyList<SettingChange> Settings,
    IReadOnlyList<HostOptionChanges> Options,
    IReadOnlyList<string> Restarts,
    IReadOnlyList<string> FilesChanged,
    IReadOnlyList<ResourceChange> Resources,
    bool ProgramCompared);
