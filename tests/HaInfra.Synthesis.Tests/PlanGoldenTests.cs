using System.Text.Json.Nodes;
using HaInfra.Operations.Planning;
using HaInfra.Tests.Shared;
using Json.Schema;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The plan of each realistic change, in all three formats, against golden files (tests/golden/plan/), plus the
/// verdict and risks each case must produce whatever the wording.
/// </summary>
public sealed class PlanGoldenTests
{
    /// <summary>Loaded once: the library registers a schema by its $id and refuses a second registration.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Path.Combine(RepoRoot.Path, "schemas", "plan.schema.json")));

    public static TheoryData<string> Cases => [.. PlanCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_matches_its_golden_files_in_every_format(string name)
    {
        var plan = PlanCases.Build(PlanCases.Get(name));
        Golden.Check($"plan/{name}.txt", PlanTerminalWriter.Write(plan, colour: false));
        Golden.Check($"plan/{name}.md", PlanMarkdownWriter.Write(plan));
        Golden.Check($"plan/{name}.json", PlanJsonWriter.Write(plan));
    }

    [Theory]
    [InlineData("no-change", VerdictKind.NoChanges, "")]
    [InlineData("resize-host", VerdictKind.NeedsRestart, "")]
    [InlineData("add-same-city-host", VerdictKind.Safe, "")]
    [InlineData("add-same-city-site", VerdictKind.Safe, "")]
    [InlineData("options-dynamic-and-restart", VerdictKind.NeedsRestart, "tls-off")]
    [InlineData("shrink-disk", VerdictKind.Destructive, "disk-shrink")]
    [InlineData("move-zone", VerdictKind.Destructive, "zone-move")]
    [InlineData("shorten-retention", VerdictKind.Safe, "retention-shortened")]
    [InlineData("widen-cidr", VerdictKind.Safe, "network-widened")]
    [InlineData("rename-host", VerdictKind.Destructive, "host-deleted")]
    [InlineData("template-change", VerdictKind.Safe, "")]
    [InlineData("new-stack", VerdictKind.Safe, "")]
    public void Each_case_gets_its_verdict_and_risk(string name, VerdictKind verdict, string risk)
    {
        var plan = PlanCases.Build(PlanCases.Get(name));
        Assert.Equal(verdict, plan.Verdict.Kind);
        if (risk.Length > 0)
        {
            Assert.Contains(plan.Risks, r => r.Code == risk);
        }
    }

    [Fact]
    public void A_template_change_shows_my_cnf_changes_on_every_host()
    {
        var plan = PlanCases.Build(PlanCases.Get("template-change"));
        Assert.Equal(plan.After.Hosts.Select(h => h.Name), plan.Options.Select(o => o.Host));
        Assert.All(plan.Options, o => Assert.Contains(o.Changes, c => c.Key == "max_connections" && c.Old == "151" && c.Effect == OptionEffect.Dynamic));
    }

    [Fact]
    public void Renaming_a_host_deletes_the_old_one_and_creates_the_new_one()
    {
        var plan = PlanCases.Build(PlanCases.Get("rename-host"));
        Assert.Equal("prod-db-dr2", Assert.Single(plan.Hosts.Removed).Name);
        Assert.Equal("prod-db-dr3", Assert.Single(plan.Hosts.Added).Name);
        Assert.Contains(plan.Resources, r => r.Name == "prod-db-dr2_data" && r.Op == ResourceOp.Delete && r.HoldsData);
        Assert.Contains(plan.Resources, r => r.Name == "prod-db-dr3_data" && r.Op == ResourceOp.Create);
    }

    [Fact]
    public void Shrinking_a_disk_replaces_the_volume_in_the_program_too()
    {
        var plan = PlanCases.Build(PlanCases.Get("shrink-disk"));
        Assert.Contains(plan.Resources, r => r.Name == "prod-db-b1_data" && r.Op == ResourceOp.Replace && r.HoldsData);
    }

    [Fact]
    public void The_markdown_of_a_huge_change_fits_a_github_comment_and_says_it_was_trimmed()
    {
        var plan = PlanCases.Build(PlanCases.Get("rename-host"));
        var many = Enumerable.Range(0, 6000).Select(i => new ResourceChange($"r{i:D5}_data", "aws:ebs:Volume", ResourceOp.Replace,
            [new PropertyChange("properties.size", "1000", "500", true), new PropertyChange("properties.tags.Name", new string('x', 40), new string('y', 40), false)],
            ["size decrease"], true, "offline")).ToList();
        var huge = plan with { Resources = many };
        var text = PlanMarkdownWriter.Write(huge);
        Assert.True(text.Length <= PlanMarkdownWriter.GitHubCommentLimit, $"{text.Length} characters");
        Assert.Contains("Trimmed to fit GitHub's 65,536-character comment limit", text, StringComparison.Ordinal);
        Assert.Contains(huge.Verdict.Text.Replace("<", "&lt;", StringComparison.Ordinal), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_that_fits_is_not_trimmed()
    {
        Assert.DoesNotContain("Trimmed", PlanMarkdownWriter.Write(PlanCases.Build(PlanCases.Get("shrink-disk"))), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_json_of_every_case_follows_the_documented_schema(string name)
    {
        var schema = Schema.Value;
        var result = schema.Evaluate(System.Text.Json.JsonDocument.Parse(PlanJsonWriter.Write(PlanCases.Build(PlanCases.Get(name)))).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_schema_rejects_what_it_must()
    {
        var schema = Schema.Value;
        var json = JsonNode.Parse(PlanJsonWriter.Write(PlanCases.Build(PlanCases.Get("shrink-disk"))))!;
        json["verdict"]!["kind"] = "maybe";
        Assert.False(schema.Evaluate(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement).IsValid);
    }
}
