using System.Text.Json.Nodes;
using HaInfra.Cli;
using HaInfra.Model.Config;
using HaInfra.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace HaInfra.IntegrationTests;

/// <summary>The synth verb as Pulumi's YAML language host runs it: environment in, program on stdout, errors on stderr.</summary>
public sealed class SynthCliTests : IDisposable
{
    private const string SecretValue = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-synth-").FullName;

    private static readonly Dictionary<string, string?> NoPulumi = new()
    {
        ["PULUMI_STACK"] = null, ["PULUMI_CONFIG"] = null, ["PULUMI_PROJECT"] = null, ["PULUMI_CONFIG_SECRET_KEYS"] = null,
    };

    [Fact]
    public void Without_any_stack_prints_a_valid_providers_only_program()
    {
        var (exit, stdout, stderr) = CliTests.RunWith(NoPulumi, "synth");
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        var resources = (YamlMappingNode)Parse(stdout).Children[new YamlScalarNode("resources")];
        Assert.Equal(["aws-provider", "azure-provider", "random-provider", "command-provider", "tls-provider"], resources.Children.Keys.Select(k => k.ToString()));
    }

    [Fact]
    public void Pulumi_environment_gives_the_same_program_as_the_stack_file_and_never_prints_a_secret()
    {
        var environment = new Dictionary<string, string?>(NoPulumi)
        {
            ["PULUMI_STACK"] = "prod",
            ["PULUMI_PROJECT"] = "hainfra",
            ["PULUMI_CONFIG"] = PulumiConfig("prod", ("aws:secretKey", SecretValue)),
            ["PULUMI_CONFIG_SECRET_KEYS"] = """["aws:secretKey"]""",
        };
        var (exit, stdout, stderr) = CliTests.RunWith(environment, "synth");
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain(SecretValue, stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(CliTests.RunWith(NoPulumi, "synth", "--stack", "prod").Stdout, stdout);
        Assert.Contains("prod-db-dr2_instance:", stdout);
    }

    [Fact]
    public void A_hainfra_setting_stored_as_secret_is_refused_without_echoing_it()
    {
        var environment = new Dictionary<string, string?>(NoPulumi)
        {
            ["PULUMI_STACK"] = "dev",
            ["PULUMI_CONFIG"] = PulumiConfig("dev", ("hainfra:flavor", "mariadb")),
            ["PULUMI_CONFIG_SECRET_KEYS"] = """["hainfra:flavor"]""",
        };
        var (exit, stdout, stderr) = CliTests.RunWith(environment, "synth");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("hainfra:flavor is stored as secret", stderr);
    }

    [Fact]
    public void Invalid_stack_is_exit_code_2_with_every_problem_and_nothing_on_stdout()
    {
        var stacks = StackDir("bad", File.ReadAllText(Path.Combine(RepoRoot.Stacks, "Pulumi.dev.yaml"))
            .Replace("applicationCidrs: [10.22.0.0/16]", "applicationCidrs: [0.0.0.0/0]", StringComparison.Ordinal)
            .Replace("dataDiskGb: 50", "dataDiskGb: 5", StringComparison.Ordinal));
        var (exit, stdout, stderr) = CliTests.RunWith(NoPulumi, "synth", "--stack", "bad", "--stacks-dir", stacks);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("3 problems", stderr);
        Assert.Contains("hainfra:network.applicationCidrs[0] = '0.0.0.0/0'", stderr);
    }

    [Fact]
    public void Azure_stack_without_the_ssh_key_is_exit_code_2_with_the_fix()
    {
        var stacks = StackDir("az", File.ReadAllText(Path.Combine(RepoRoot.Stacks, "Pulumi.dev.yaml"))
            .Replace("hainfra:cloud: aws", "hainfra:cloud: azure", StringComparison.Ordinal)
            .Replace("eu-west-1a", "1", StringComparison.Ordinal).Replace("eu-west-1b", "2", StringComparison.Ordinal)
            .Replace("eu-west-1", "westeurope", StringComparison.Ordinal));
        var (exit, stdout, stderr) = CliTests.RunWith(NoPulumi, "synth", "--stack", "az", "--stacks-dir", stacks);
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("hainfra:network.adminSshPublicKey: the VM administrator's SSH public key is missing.", stderr);
        Assert.Contains("pulumi config set --path hainfra:network.adminSshPublicKey", stderr);
    }

    [Fact]
    public void Azure_stack_prints_its_program()
    {
        var (exit, stdout, stderr) = CliTests.RunWith(NoPulumi, "synth", "--stack", "azure-staging");
        Assert.True(exit == 0, stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "golden", "pulumi", "azure-staging.yaml")), stdout);
    }

    [Fact]
    public void The_program_passes_the_bootstrap_verb_the_variables_it_reads()
    {
        var program = CliTests.RunWith(NoPulumi, "synth", "--stack", "dev").Stdout;
        Assert.Contains($"{Cli.Commands.BootstrapCommand.AdminPasswordVariable}: ${{admin-password.result}}", program);
        Assert.Contains($"{Cli.Commands.BootstrapCommand.ReplicationPasswordVariable}: ${{replication-password.result}}", program);
        Assert.Contains("create: \"./hainfra bootstrap --stack dev --outputs - --wait-seconds", program);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StackDir(string stack, string yaml)
    {
        var dir = Path.Combine(_dir, "stacks");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"Pulumi.{stack}.yaml"), yaml);
        return dir;
    }

    // PULUMI_CONFIG as Pulumi builds it: "namespace:key" to string, structured values JSON-encoded, secrets decrypted.
    private static string PulumiConfig(string stack, params (string Key, string Value)[] extra)
    {
        var config = new JsonObject();
        foreach (var (key, value) in StackFileReader.Read(RepoRoot.Stacks, stack).Values)
        {
            config[key] = value is JsonValue ? value.DeepClone() : value!.ToJsonString();
        }

        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config.ToJsonString();
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
