using System.Text.Json.Nodes;
using HaInfra.Model;
using HaInfra.Rendering;

namespace HaInfra.Operations.Planning;

/// <summary>
/// One side of a plan: the validated model of a stack as it is in one revision, with the files and the program that
/// revision's own code produced from it (the base side is rendered by the base revision's build, so a change under
/// templates/ or infra/ shows up).
/// </summary>
/// <param name="Label">How the plan names the side, e.g. "base HEAD~1 (3ac9151)" or "working tree".</param>
/// <param name="MyCnf">Each host's my.cnf, as <c>&lt;host&gt;/my.cnf</c>.</param>
/// <param name="Program">The synthesized Pulumi YAML program; null for the local target (no cloud program).</param>
/// <param name="Config">The stack file's config map as read ("hainfra:key" to its value), for the settings diff.</param>
public sealed record PlanSide(string Label, Topology Topology, IReadOnlyList<RenderedFile> MyCnf, string? Program, IReadOnlyDictionary<string, JsonNode?> Config);

/// <summary>How a changed server option takes effect on a running server.</summary>
public enum OptionEffect
{
    /// <summary>A dynamic global variable: <c>SET GLOBAL</c> applies it without a restart.</summary>
    Dynamic,

    /// <summary>Dynamic, but the server refuses <c>SET GLOBAL</c> while replica threads run (STOP SLAVE, set, START SLAVE;
    /// e.g. slave_parallel_threads): measured on the real server by scripts/gen-server-variables.</summary>
    DynamicReplicaStopped,

    /// <summary>Read-only at run time, or a start-up option with no variable: the server must restart.</summary>
    Restart,
}

/// <summary>One my.cnf key that differs between the sides of one host (null old: added; null new: removed).</summary>
public sealed record OptionChange(string Section, string Key, string? Old, string? New, OptionEffect Effect);

/// <summary>The my.cnf changes of one host (present on both sides; an added or removed host is a topology change).</summary>
public sealed record HostOptionChanges(string Host, IReadOnlyList<OptionChange> Changes)
{
    public bool NeedsRestart => Changes.Any(c => c.Effect == OptionEffect.Restart);
}

/// <summary>What happens to one resource of the synthesized program.</summary>
public enum ResourceOp
{
    Create,
    Update,
    Replace,
    Delete,
}

/// <summary>One changed property of a resource, by path (e.g. <c>properties.rootBlockDevice.volumeSize</c>).</summary>
/// <param name="Old">The base value, shortened for display (long texts show their length and a hash); null when absent.</param>
/// <param name="ForcesReplacement">The provider replaces the resource when this property changes (see the replacement table).</param>
public sealed record PropertyChange(string Path, string? Old, string? New, bool ForcesReplacement);

/// <summary>
/// One resource the program would create, change, replace or delete, by its logical name and type.
/// <paramref name="HoldsData"/>: deleting or replacing it loses data (a data disk, a backup bucket, a key that encrypts
/// backups, a generated password).
/// <paramref name="Source"/>: "offline" (this plan's own analysis) or "pulumi" (a recorded <c>pulumi preview --json</c>).
/// </summary>
public sealed record ResourceChange(
    string Name,
    string Type,
    ResourceOp Op,
    IReadOnlyList<PropertyChange> Properties,
    IReadOnlyList<string> ReplaceReasons,
    bool HoldsData,
    string Source);
