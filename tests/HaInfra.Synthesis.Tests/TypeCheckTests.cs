using System.Diagnostics;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The provider-typed check (tools/pulumi-typecheck): each program converted to TypeScript and compiled with tsc
/// against the pinned @pulumi/* SDKs. Misspelled or mistyped properties, missing required ones and unknown resource
/// types fail the compile.
/// </summary>
public sealed class TypeCheckTests : IDisposable
{
    private static readonly string Tool = Path.Combine(RepoRoot.Path, "tools", "pulumi-typecheck");
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-tsc-").FullName;

    [NodeFact]
    public void Dev_staging_and_prod_type_check_against_the_provider_sdks()
    {
        string[] stacks = ["dev", "staging", "prod"];
        var files = stacks.Select(s => Write(s, Synth.Text(s))).ToArray();
        var (exit, output) = Check(files);
        Assert.True(exit == 0, output);
        Assert.Contains("ok: dev.ts, staging.ts, prod.ts", output);
    }

    [NodeFact]
    public void The_galera_program_type_checks_against_the_provider_sdks()
    {
        var (exit, output) = Check(Write("local-galera", Synth.Text("local-galera")));
        Assert.True(exit == 0, output);
        Assert.Contains("ok: local-galera.ts", output);
    }

    [NodeFact]
    public void Azure_staging_and_prod_type_check_against_the_azure_sdk()
    {
        string[] stacks = ["azure-staging", "azure-prod"];
        var files = stacks.Select(s => Write(s, Synth.Text(s))).ToArray();
        var (exit, output) = Check(files);
        Assert.True(exit == 0, output);
        Assert.Contains("ok: azure-staging.ts, azure-prod.ts", output);
    }

    [NodeFact]
    public void A_misspelled_azure_property_fails()
    {
        var program = Synth.Text("azure-staging").Replace("      encryptionAtHostEnabled: true", "      encryptionAtHostEnable: true", StringComparison.Ordinal);
        var (exit, output) = Check(Write("azure-misspelled", program));
        Assert.Equal(1, exit);
        Assert.Contains("'\"encryptionAtHostEnable\"' does not exist in type 'LinuxVirtualMachineArgs'", output);
    }

    [NodeFact]
    public void An_unknown_azure_resource_type_fails()
    {
        var program = Synth.Text("azure-staging").Replace("type: azure:network:VirtualNetwork\n", "type: azure:network:VirtualNet\n", StringComparison.Ordinal);
        var (exit, output) = Check(Write("azure-unknown-type", program));
        Assert.Equal(1, exit);
        Assert.Contains("Property 'VirtualNet' does not exist", output);
    }

    [NodeFact]
    public void A_misspelled_property_fails()
    {
        var program = Synth.Text("dev").Replace("      instanceType: c6i.large", "      instanceTyp: c6i.large", StringComparison.Ordinal);
        var (exit, output) = Check(Write("misspelled", program));
        Assert.Equal(1, exit);
        Assert.Contains("'\"instanceTyp\"' does not exist in type 'InstanceArgs'", output);
    }

    [NodeFact]
    public void An_unknown_resource_type_fails()
    {
        var program = Synth.Text("dev").Replace("type: aws:ec2:Vpc\n", "type: aws:ec2:VirtualPrivateCloud\n", StringComparison.Ordinal);
        var (exit, output) = Check(Write("unknown-type", program));
        Assert.Equal(1, exit);
        Assert.Contains("Property 'VirtualPrivateCloud' does not exist", output);
    }

    [NodeFact]
    public void A_reference_to_an_output_the_resource_does_not_have_fails()
    {
        var program = Synth.Text("dev").Replace("${dev-db-a1_instance.privateIp}", "${dev-db-a1_instance.privateAddress}", StringComparison.Ordinal);
        var (exit, output) = Check(Write("bad-output", program));
        Assert.Equal(1, exit);
        Assert.Contains("Property 'privateAddress' does not exist on type 'Instance'", output);
    }

    [NodeFact]
    public void The_policy_pack_type_checks_against_the_policy_and_provider_sdks_and_a_mistake_fails()
    {
        var pack = File.ReadAllText(Path.Combine(RepoRoot.Path, "policy", "index.ts"));
        var (exit, output) = CheckPack(pack);
        Assert.True(exit == 0, output);

        (exit, output) = CheckPack(pack.Replace("aws.ec2.Subnet,", "aws.ec2.Subnett,", StringComparison.Ordinal));
        Assert.NotEqual(0, exit);
        Assert.Contains("Subnett", output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>tsc --noEmit over a copy of the pack, resolving its packages from tools/pulumi-typecheck.</summary>
    private (int Exit, string Output) CheckPack(string source)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, $"pack-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(dir, "index.ts"), source);
        var modules = Path.Combine(Tool, "node_modules");
        File.WriteAllText(Path.Combine(dir, "tsconfig.json"), $$"""
            {
              "extends": "{{Path.Combine(RepoRoot.Path, "policy", "tsconfig.json")}}",
              "compilerOptions": {
                "noEmit": true,
                "rootDir": "{{dir}}",
                "paths": { "*": ["{{modules}}/*", "{{modules}}/@types/*"] },
                "typeRoots": ["{{modules}}/@types"]
              },
              "files": ["{{Path.Combine(dir, "index.ts")}}"]
            }
            """);
        Assert.True(Directory.Exists(Path.Combine(modules, "@pulumi", "policy")),
            "tools/pulumi-typecheck has no @pulumi/policy: run (cd tools/pulumi-typecheck && npm ci --ignore-scripts), as scripts/test and .ci/run do");
        return ServerBinaries.Run("node", [Path.Combine(modules, "typescript", "bin", "tsc"), "-p", Path.Combine(dir, "tsconfig.json")]);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, $"{name}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Output) Check(params string[] files)
    {
        Assert.True(Directory.Exists(Path.Combine(Tool, "node_modules", "@pulumi", "aws")),
            "tools/pulumi-typecheck has no node_modules: run (cd tools/pulumi-typecheck && npm ci --ignore-scripts), as scripts/test and .ci/run do");
        return ServerBinaries.Run("node", [Path.Combine(Tool, "check.js"), .. files]);
    }
}

/// <summary>A fact that needs Node.js; skipped, with the reason, only when node is not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (ServerBinaries.Which("node") is null)
        {
            Skip = "node is not installed (the offline provider-typed check needs Node.js and npm: apt-get install nodejs npm)";
        }
    }
}
