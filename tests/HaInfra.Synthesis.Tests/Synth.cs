using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Operations.Monitoring;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>The example cloud stacks, synthesized the way the synth verb does it.</summary>
internal static class Synth
{
    /// <summary>The aws example stacks.</summary>
    public static TheoryData<string> CloudStacks => ["dev", "staging", "prod"];

    /// <summary>The azure example stacks (the staging and prod shapes on azure).</summary>
    public static TheoryData<string> AzureStacks => ["azure-staging", "azure-prod"];

    public static TheoryData<string> AllStacks => ["dev", "staging", "prod", "azure-staging", "azure-prod", "local-galera"];

    public static TemplateRenderer Renderer() => new(TemplateCatalog.Load(RepoRoot.Templates));

    public static Topology Stack(string name)
    {
        var result = TopologyLoader.LoadStack(RepoRoot.Stacks, name);
        return result.Topology ?? throw new InvalidOperationException(result.Describe());
    }

    public static string Text(string stack) => Text(Stack(stack));

    public static string Text(Topology topology)
    {
        var result = Synthesizer.Synthesize(topology, Renderer(), Thresholds(topology), []);
        Assert.True(result.Ok, string.Join("\n", result.InputProblems.Concat(result.CheckProblems)));
        return result.Text!;
    }

    public static PMap Tree(string stack) => Tree(Stack(stack));

    public static PMap Tree(Topology topology) =>
        Synthesizer.For(topology.Cloud, Renderer(), Thresholds(topology))!.Synthesize(topology).ToDocument(Synthesizer.ProjectName, "test").ToTree();

    /// <summary>The alert thresholds the synth verb passes in (AlertPlan, as the CLI computes them, without its cache).</summary>
    public static AlertThresholds Thresholds(Topology topology) =>
        AlertPlan.ThresholdsAsync(topology, AlertThresholds.CloudDataMountpoint, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Every resource of a program as (name, type, properties, options).</summary>
    public static IEnumerable<(string Name, string Type, PMap Properties, PMap Options)> Resources(PMap tree) =>
        ((PMap)tree["resources"]!).Entries.Select(e =>
        {
            var r = (PMap)e.Value;
            return (e.Key, ((PText)r["type"]!).Value, r["properties"] as PMap ?? PMap.Empty, r["options"] as PMap ?? PMap.Empty);
        });

    public static IEnumerable<(string Name, PMap Properties)> OfType(PMap tree, string type) =>
        Resources(tree).Where(r => r.Type == type).Select(r => (r.Name, r.Properties));
}
