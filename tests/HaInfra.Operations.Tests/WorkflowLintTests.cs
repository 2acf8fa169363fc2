using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>
/// The GitHub Actions workflows (.github/workflows: the pull-request plan) checked offline by rhysd/actionlint
/// (tools/actionlint, installed by scripts/install-node-tools): any finding fails. A deliberately broken copy shows the
/// check can fail.
/// </summary>
public sealed class WorkflowLintTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-actionlint-").FullName;

    private static string Workflows => Path.Combine(RepoRoot.Path, ".github", "workflows");

    [ActionlintFact]
    public void Every_workflow_passes_actionlint()
    {
        var files = Directory.GetFiles(Workflows, "*.yml").Concat(Directory.GetFiles(Workflows, "*.yaml")).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(Path.Combine(Workflows, "plan.yml"), files);

        var (exit, output) = Actionlint.Run(files);

        Assert.True(exit == 0, output);
        Assert.Contains($"{files.Length} workflow file(s), 0 finding(s)", output, StringComparison.Ordinal);
    }

    [ActionlintFact]
    public void A_broken_copy_of_the_plan_workflow_fails_with_each_finding()
    {
        var broken = File.ReadAllText(Path.Combine(Workflows, "plan.yml"))
            .Replace("  pull-requests: write\n", "  pull-request: write\n", StringComparison.Ordinal)
            .Replace("needs: [tests, stacks]", "needs: [tests, stack]", StringComparison.Ordinal);
        Assert.NotEqual(File.ReadAllText(Path.Combine(Workflows, "plan.yml")), broken);
        var path = Path.Combine(_dir, "plan.yml");
        File.WriteAllText(path, broken);

        var (exit, output) = Actionlint.Run(path);

        Assert.True(exit == 1, output);
        Assert.Contains("unknown permission scope \"pull-request\"", output, StringComparison.Ordinal);
        Assert.Contains("needs job \"stack\" which does not exist", output, StringComparison.Ordinal);
    }

    [ActionlintFact]
    public void No_file_to_check_is_an_error_not_a_pass()
    {
        var (exit, _) = Actionlint.Run();

        Assert.Equal(2, exit);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>Runs tools/actionlint/lint.mjs with node.</summary>
internal static class Actionlint
{
    public static string Script => Path.Combine(RepoRoot.Path, "tools", "actionlint", "lint.mjs");

    public static bool Installed =>
        ServerBinaries.Which("node") is not null
        && Directory.Exists(Path.Combine(RepoRoot.Path, "tools", "actionlint", "node_modules", "@tktco", "node-actionlint"));

    public static (int ExitCode, string Output) Run(params string[] files)
    {
        Assert.True(Installed, "actionlint is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-node-tools all must install it");
        return ServerBinaries.Run(ServerBinaries.Which("node")!, [Script, .. files]);
    }
}

/// <summary>
/// A fact that needs node and tools/actionlint (scripts/install-node-tools). Skipped, with the reason, only outside
/// CI: with HAINFRA_CI=1 a missing tool fails the test instead.
/// </summary>
public sealed class ActionlintFactAttribute : FactAttribute
{
    public ActionlintFactAttribute()
    {
        if (!Actionlint.Installed && Environment.GetEnvironmentVariable("HAINFRA_CI") != "1")
        {
            Skip = "actionlint is not installed (run scripts/install-node-tools actionlint; it needs Node.js); in CI (HAINFRA_CI=1) this fails instead";
        }
    }
}
