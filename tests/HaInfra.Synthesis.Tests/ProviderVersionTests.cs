using System.Text.Json.Nodes;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>The program pins the same provider versions the offline type check installs (package.json and its lock).</summary>
public class ProviderVersionTests
{
    private static readonly string Tool = Path.Combine(RepoRoot.Path, "tools", "pulumi-typecheck");

    [Fact]
    public void Pinned_versions_equal_package_json_and_the_lock_file()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(Tool, "package.json")))!["devDependencies"]!;
        var locked = JsonNode.Parse(File.ReadAllText(Path.Combine(Tool, "package-lock.json")))!["packages"]!;
        foreach (var (name, version) in ProviderVersions.ByPackage)
        {
            Assert.Equal(version, (string?)package[$"@pulumi/{name}"]);
            Assert.Equal(version, (string?)locked[$"node_modules/@pulumi/{name}"]?["version"]);
        }
    }

    [Fact]
    public void Every_provider_of_every_program_uses_the_pinned_version()
    {
        foreach (var stack in new[] { "dev", "staging", "prod", "azure-staging", "azure-prod" })
        {
            var providers = Synth.Resources(Synth.Tree(stack)).Where(r => r.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(providers);
            Assert.All(providers, p => Assert.Equal(ProviderVersions.ByPackage[p.Type["pulumi:providers:".Length..]], ((Document.PText)p.Options["version"]!).Value));
        }
    }
}
