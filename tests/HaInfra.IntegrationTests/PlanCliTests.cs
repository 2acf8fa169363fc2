using System.Text.Json.Nodes;
using HaInfra.Cli;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The plan verb end to end: the base is a git worktree of HEAD built by its own ./hainfra (the first run builds it,
/// about a minute), the head a changed copy of the stacks; and its bad-input contract.
/// </summary>
public sealed class PlanCliTests : IDisposable
{
    private readonly string _stacks = Directory.CreateTempSubdirectory("hainfra-plan-stacks-").FullName;

    public PlanCliTests()
    {
        foreach (var file in Directory.GetFiles(RepoRoot.Stacks))
        {
            File.Copy(file, Path.Combine(_stacks, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_stacks, recursive: true);

    [Fact]
    public void Every_bad_argument_is_reported_at_once_with_exit_2_and_no_output()
    {
        var (exit, stdout, stderr) = CliTests.Run("plan", "--stack", "prod", "--format", "html", "--pulumi-preview", "/nonexistent/preview.json");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--format html", stderr);
        Assert.Contains("--base/--base-dir: give exactly one", stderr);
        Assert.Contains("--pulumi-preview /nonexistent/preview.json: no such file", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void An_unknown_base_revision_is_bad_input()
    {
        var (exit, stdout, stderr) = CliTests.Run("plan", "--stack", "prod", "--base", "no-such-branch-3f1c");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--base no-such-branch-3f1c: not a commit", stderr);
    }

    [Fact]
    public void An_invalid_working_tree_side_is_bad_input_that_names_the_side()
    {
        Edit("prod", "applicationCidrs: [10.20.0.0/16]", "applicationCidrs: [0.0.0.0/0]");
        var (exit, stdout, stderr) = CliTests.Run("plan", "--stack", "prod", "--base", "HEAD", "--stacks-dir", _stacks);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("the working tree side of the plan is invalid", stderr);
        Assert.Contains("hainfra:network.applicationCidrs[0] = '0.0.0.0/0'", stderr);
    }

    [Fact]
    public void A_changed_stack_against_HEAD_built_by_its_own_code_gives_the_verdict_risks_and_my_cnf_diff()
    {
        Edit("prod", "        - name: prod-db-b1\n          size: xlarge\n          dataDiskGb: 1000", "        - name: prod-db-b1\n          size: large\n          dataDiskGb: 500");
        var (exit, stdout, stderr) = CliTests.Run("plan", "--stack", "prod", "--base", "HEAD", "--stacks-dir", _stacks, "--format", "json");
        Assert.True(exit == 0, stderr);
        var plan = JsonNode.Parse(stdout)!;
        Assert.Equal("destructive", (string?)plan["verdict"]!["kind"]);
        Assert.StartsWith("base HEAD (", (string?)plan["base"]);
        var risks = plan["risks"]!.AsArray().Select(r => (string?)r!["code"]).ToList();
        Assert.Contains("disk-shrink", risks);
        Assert.Contains(plan["resources"]!.AsArray(), r => (string?)r!["name"] == "prod-db-b1_data" && (string?)r["op"] == "replace");
        var host = Assert.Single(plan["myCnf"]!.AsArray(), h => (string?)h!["host"] == "prod-db-b1")!;
        Assert.Contains(host["changes"]!.AsArray(), c => (string?)c!["key"] == "innodb_buffer_pool_size");
        Assert.Equal(["prod-db-b1"], plan["restarts"]!.AsArray().Select(h => (string?)h));

        // The same base as a directory (the worktree the first run built): the same plan, with the directory as its label.
        var worktree = Path.Combine(RepoRoot.Path, ".build", "plan", ((string?)plan["base"])!.Split('(', ')')[1]);
        var again = CliTests.Run("plan", "--stack", "prod", "--base-dir", Directory.GetDirectories(Path.GetDirectoryName(worktree)!).Single(d => Path.GetFileName(d).StartsWith(Path.GetFileName(worktree), StringComparison.Ordinal)), "--stacks-dir", _stacks, "--format", "json");
        Assert.True(again.Exit == 0, again.Stderr);
        Assert.Equal(plan["risks"]!.ToJsonString(), JsonNode.Parse(again.Stdout)!["risks"]!.ToJsonString());

        // An unchanged stack against the same base: no changes.
        var unchanged = CliTests.Run("plan", "--stack", "staging", "--base", "HEAD", "--stacks-dir", _stacks);
        Assert.True(unchanged.Exit == 0, unchanged.Stderr);
        Assert.Contains("verdict: no changes", unchanged.Stdout);
    }

    private void Edit(string stack, string old, string now)
    {
        var path = Path.Combine(_stacks, $"Pulumi.{stack}.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(old, text);
        File.WriteAllText(path, text.Replace(old, now, StringComparison.Ordinal));
    }
}
