using HaInfra.Model.Config;
using HaInfra.Operations.Planning;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The realistic changes the plan is golden-tested on: each is an edit of an example stack file (the base is the file
/// as checked in). Both sides are rendered and synthesized in-process with the given templates, as the plan verb does
/// with each revision's own build.
/// </summary>
internal static class PlanCases
{
    public sealed record Case(string Name, string Stack, Func<string, string> Edit, string? BaseTemplates = null);

    public static readonly IReadOnlyList<Case> All =
    [
        new("no-change", "prod", s => s),
        new("resize-host", "prod", s => Replace(s, "        - name: prod-db-a2\n          size: xlarge", "        - name: prod-db-a2\n          size: large")),
        new("add-same-city-host", "prod", s => Replace(s, "        - name: prod-db-c1\n          size: xlarge\n          dataDiskGb: 1000\n          dataDiskIops: 12000\n          dataDiskThroughputMbps: 500\n",
            "        - name: prod-db-c1\n          size: xlarge\n          dataDiskGb: 1000\n          dataDiskIops: 12000\n          dataDiskThroughputMbps: 500\n        - name: prod-db-c2\n          size: xlarge\n          dataDiskGb: 1000\n          dataDiskIops: 12000\n          dataDiskThroughputMbps: 500\n")),
        new("add-same-city-site", "staging", s => Replace(s, "    - name: stg-dr\n", "    - name: stg-c\n      kind: same-city\n      region: eu-west-1\n      zones: [eu-west-1c]\n      hosts:\n        - name: stg-db-c1\n          size: medium\n          dataDiskGb: 200\n    - name: stg-dr\n")),
        new("options-dynamic-and-restart", "prod", s => Replace(Replace(Replace(s, "semiSyncTimeoutMs: 5000", "semiSyncTimeoutMs: 2000"), "hainfra:tls: true", "hainfra:tls: false"), "parallelWorkers: 4", "parallelWorkers: 8")),
        new("shrink-disk", "prod", s => Replace(s, "        - name: prod-db-b1\n          size: xlarge\n          dataDiskGb: 1000", "        - name: prod-db-b1\n          size: xlarge\n          dataDiskGb: 500")),
        new("move-zone", "prod", s => Replace(s, "zones: [eu-central-1a, eu-central-1b]", "zones: [eu-central-1a, eu-central-1c]")),
        new("shorten-retention", "prod", s => Replace(Replace(s, "fullDays: 365", "fullDays: 120"), "binlogDays: 14", "binlogDays: 7")),
        new("widen-cidr", "prod", s => Replace(s, "applicationCidrs: [10.20.0.0/16]", "applicationCidrs: [10.20.0.0/16, 10.0.0.0/8]")),
        new("rename-host", "prod", s => Replace(s, "name: prod-db-dr2", "name: prod-db-dr3")),
        new("template-change", "prod", s => s, BaseTemplates: "max_connections"),
        new("new-stack", "staging", s => s),
    ];

    public static Case Get(string name) => All.Single(c => c.Name == name);

    public static Plan Build(Case c)
    {
        var original = File.ReadAllText(StackFileReader.PathFor(RepoRoot.Stacks, c.Stack));
        var edited = c.Edit(original);
        var head = Side("working tree", c.Stack, edited, Synth.Renderer());
        if (c.Name == "new-stack")
        {
            return PlanBuilder.Build(null, head);
        }

        if (c.BaseTemplates is null)
        {
            return PlanBuilder.Build(Side("base HEAD~1 (golden)", c.Stack, original, Synth.Renderer()), head);
        }

        // The edited copy of templates/ is the base's; it is removed once the base side is rendered.
        var templates = EditedTemplates(c.BaseTemplates);
        try
        {
            return PlanBuilder.Build(Side("base HEAD~1 (golden)", c.Stack, original, new TemplateRenderer(TemplateCatalog.Load(templates))), head);
        }
        finally
        {
            Directory.Delete(templates, recursive: true);
        }
    }

    private static PlanSide Side(string label, string stack, string yaml, TemplateRenderer renderer)
    {
        var raw = StackFileReader.Parse(stack, $"stacks/Pulumi.{stack}.yaml", yaml);
        var loaded = TopologyLoader.Load(raw);
        var topology = loaded.Topology ?? throw new InvalidOperationException(loaded.Describe());
        var result = Synthesizer.Synthesize(topology, renderer, Synth.Thresholds(topology), []);
        Assert.True(result.Ok, string.Join("\n", result.InputProblems.Concat(result.CheckProblems)));
        return new PlanSide(label, topology, MyCnfRenderer.RenderAll(renderer, topology), result.Text, raw.Values);
    }

    /// <summary>A copy of templates/ where the base's my.cnf template sets <paramref name="key"/> differently: the
    /// head's templates are the checked-in ones, so every host's my.cnf changes.</summary>
    private static string EditedTemplates(string key)
    {
        var dir = Directory.CreateTempSubdirectory("hainfra-plan-templates-").FullName;
        CopyDirectory(RepoRoot.Templates, dir);
        var template = Path.Combine(dir, "my.cnf", "mariadb.cnf.sbn");
        var lines = File.ReadAllLines(template);
        var index = Array.FindIndex(lines, l => l.StartsWith(key + " ", StringComparison.Ordinal) || l.StartsWith(key + "=", StringComparison.Ordinal));
        Assert.True(index >= 0, $"templates/my.cnf/mariadb.cnf.sbn has no line setting {key}");
        lines[index] = $"{key} = 151";
        File.WriteAllLines(template, lines);
        return dir;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string Replace(string text, string old, string now)
    {
        Assert.True(text.Contains(old, StringComparison.Ordinal), $"the stack file no longer contains: {old}");
        return text.Replace(old, now, StringComparison.Ordinal);
    }
}
