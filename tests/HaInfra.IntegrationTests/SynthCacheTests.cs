namespace HaInfra.IntegrationTests;

/// <summary>
/// The synth output cache (scripts/synth-cache.bash): a repeated synth is answered from it, any changed input misses,
/// a changed secret value does not (the key never depends on one, and none reaches the disk), and neither a failed run
/// nor a damaged entry is ever served.
/// </summary>
public sealed class SynthCacheTests : IDisposable
{
    private const string SecretValue = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private const string OtherSecretValue = "je7MtGbClwBF-2Zp9Utk-HqHYjPxRfiCYEXAMPLE";
    private readonly SynthCacheRig _rig = new();

    [Fact]
    public void A_repeated_synth_is_a_hit_with_the_program_the_compiler_prints()
    {
        var first = _rig.Synth();
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.True(first.Miss, first.Stderr);

        var second = _rig.Synth();
        Assert.True(second.Hit, second.Stderr);
        Assert.Equal(0, second.Exit);
        Assert.Equal(_rig.Direct().Stdout, second.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains("stg-db-a1_instance:", second.Stdout);
    }

    [Theory]
    [InlineData("PULUMI_STACK")]
    [InlineData("PULUMI_PROJECT")]
    [InlineData("PULUMI_ORGANIZATION")]
    [InlineData("PULUMI_ROOT_DIRECTORY")]
    [InlineData("PULUMI_CONFIG_SECRET_KEYS")]
    [InlineData("PULUMI_CONFIG value")]
    [InlineData("PULUMI_CONFIG key")]
    [InlineData("stack file")]
    [InlineData("another stack file")]
    [InlineData("template")]
    [InlineData("new template file")]
    [InlineData("Pulumi.yaml")]
    [InlineData("CLI build")]
    [InlineData("CLI build rewritten with the same text")]
    public void Each_changed_input_misses_and_then_hits_its_own_entry(string input)
    {
        Assert.True(_rig.Synth().Exit == 0);
        var before = _rig.Synth();
        Assert.True(before.Hit, before.Stderr);

        Change(input);
        var after = _rig.Synth();
        Assert.True(after.Miss, $"{input}: {after.Stderr}");
        Assert.True(after.Exit == 0, after.Stderr);
        Assert.Equal(_rig.Direct().Stdout, after.Stdout);
        if (input is "PULUMI_STACK" or "PULUMI_CONFIG value" or "template")
        {
            Assert.NotEqual(before.Stdout, after.Stdout);
        }

        var again = _rig.Synth();
        Assert.True(again.Hit, again.Stderr);
        Assert.Equal(after.Stdout, again.Stdout);
    }

    [Fact]
    public void A_changed_secret_value_hits_and_no_secret_value_reaches_the_cache()
    {
        AddSecret(SecretValue);
        var first = _rig.Synth();
        Assert.True(first.Exit == 0 && first.Miss, first.Stderr);

        AddSecret(OtherSecretValue);
        var second = _rig.Synth();
        Assert.True(second.Hit, second.Stderr);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal("aws:secretKey\n", File.ReadAllText(Path.Combine(_rig.CacheDir, "secret-keys.staging")));
        foreach (var file in Directory.GetFiles(_rig.CacheDir))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherSecretValue, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_secret_value_that_occurs_in_the_program_is_never_answered_from_the_cache()
    {
        AddSecret(SecretValue);
        Assert.Equal(0, _rig.Synth().Exit);

        AddSecret("stg-db-a1");
        var leaking = _rig.Synth();
        Assert.True(leaking.Miss, leaking.Stderr);
        Assert.Equal(1, leaking.Exit);
        Assert.Equal("", leaking.Stdout);
        Assert.Contains("contains the value of a secret config key", leaking.Stderr);

        // A value the file may show in another form (here: with a space) is left to the compiler's own check.
        AddSecret("not searchable");
        var unsure = _rig.Synth();
        Assert.True(unsure.Miss && unsure.Exit == 0, unsure.Stderr);
    }

    [Theory]
    [InlineData("program")]
    [InlineData("checksum")]
    public void A_damaged_entry_is_ignored_and_replaced(string damaged)
    {
        var good = _rig.Synth();
        Assert.Equal(0, good.Exit);
        var program = Assert.Single(_rig.Entries("yaml"));
        if (damaged == "program")
        {
            var bytes = File.ReadAllBytes(program);
            bytes[bytes.Length / 2] ^= 0x20;
            File.WriteAllBytes(program, bytes);
        }
        else
        {
            File.WriteAllText(Path.ChangeExtension(program, "cksum"), "0 0\n");
        }

        var after = _rig.Synth();
        Assert.True(after.Miss, after.Stderr);
        Assert.Equal(good.Stdout, after.Stdout);
        Assert.True(_rig.Synth().Hit);
    }

    [Fact]
    public void A_failed_run_is_not_stored()
    {
        var config = _rig.Config("staging");
        config["hainfra:network"] = config["hainfra:network"]!.GetValue<string>().Replace("10.21.0.0/16", "0.0.0.0/0", StringComparison.Ordinal);
        _rig.Environment["PULUMI_CONFIG"] = config.ToJsonString();

        for (var run = 0; run < 2; run++)
        {
            var failed = _rig.Synth();
            Assert.Equal(2, failed.Exit);
            Assert.Equal("", failed.Stdout);
            Assert.True(failed.Miss, failed.Stderr);
            Assert.Empty(_rig.Entries("yaml"));
        }
    }

    [Fact]
    public void Pulumi_config_that_is_not_a_json_object_is_never_stored()
    {
        Assert.Equal(0, _rig.Synth().Exit);
        _rig.Environment["PULUMI_CONFIG"] = "[1]";
        var run = _rig.Synth();
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        Assert.Single(_rig.Entries("yaml"));
    }

    [Fact]
    public void Without_a_stack_the_providers_only_program_is_cached_too()
    {
        _rig.Environment["PULUMI_STACK"] = null;
        _rig.Environment["PULUMI_CONFIG"] = null;
        Assert.True(_rig.Synth().Miss);
        var second = _rig.Synth();
        Assert.True(second.Hit, second.Stderr);
        Assert.Equal(_rig.Direct().Stdout, second.Stdout);
        Assert.Contains("aws-provider:", second.Stdout);
    }

    [Fact]
    public void A_program_made_while_an_input_changed_is_not_stored()
    {
        var catalog = Path.Combine(_rig.Root, "templates", "catalog.yaml");
        var run = _rig.Through("bash", "-c", "echo '# edited while synth ran' >> \"$0\"; exec dotnet \"$1\" synth", catalog, CliTests.Dll);
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Empty(_rig.Entries("yaml"));
        Assert.True(_rig.Synth().Miss);
    }

    public void Dispose() => _rig.Dispose();

    private void Change(string input)
    {
        var environment = _rig.Environment;
        switch (input)
        {
            case "PULUMI_STACK":
                environment["PULUMI_STACK"] = "dev";
                environment["PULUMI_CONFIG"] = _rig.Config("dev").ToJsonString();
                break;
            case "PULUMI_PROJECT" or "PULUMI_ORGANIZATION" or "PULUMI_ROOT_DIRECTORY":
                environment[input] = "other";
                break;
            case "PULUMI_CONFIG_SECRET_KEYS":
                environment[input] = """["aws:profile"]""";
                break;
            case "PULUMI_CONFIG value":
                environment["PULUMI_CONFIG"] = environment["PULUMI_CONFIG"]!.Replace("staging.db.internal", "staging2.db.internal", StringComparison.Ordinal);
                break;
            case "PULUMI_CONFIG key":
                environment["PULUMI_CONFIG"] = """{"aws:profile":"ops",""" + environment["PULUMI_CONFIG"]![1..];
                break;
            case "stack file":
                File.AppendAllText(Path.Combine(_rig.Stacks, "Pulumi.staging.yaml"), "# a comment\n");
                break;
            case "another stack file":
                File.AppendAllText(Path.Combine(_rig.Stacks, "Pulumi.dev.yaml"), "# a comment\n");
                break;
            case "template":
                File.AppendAllText(Path.Combine(_rig.Root, "templates", "cloud-init", "mariadb-host.yaml.sbn"), "# template changed\n");
                break;
            case "new template file":
                File.WriteAllText(Path.Combine(_rig.Root, "templates", "notes.txt"), "not catalogued\n");
                break;
            case "Pulumi.yaml":
                File.AppendAllText(Path.Combine(_rig.Root, "Pulumi.yaml"), "# a comment\n");
                break;
            case "CLI build":
                File.WriteAllText(Path.Combine(_rig.CliDir, "hainfra.dll"), "build 2");
                break;
            case "CLI build rewritten with the same text":
                var dll = Path.Combine(_rig.CliDir, "hainfra.dll");
                File.Delete(dll);
                File.WriteAllText(dll, "build 1");
                File.SetLastWriteTimeUtc(dll, DateTime.UtcNow.AddSeconds(5));
                break;
            default:
                throw new ArgumentException($"no such input: {input}", nameof(input));
        }
    }

    // aws:secretKey stored as secret in the stack file (`secure:`), its decrypted value in PULUMI_CONFIG.
    private void AddSecret(string value)
    {
        var stackFile = Path.Combine(_rig.Stacks, "Pulumi.staging.yaml");
        var text = File.ReadAllText(stackFile);
        if (!text.Contains("aws:secretKey", StringComparison.Ordinal))
        {
            File.WriteAllText(stackFile, text.Replace("config:\n", "config:\n  aws:secretKey:\n    secure: v1:AAAABBBBCCCCDDDD\n", StringComparison.Ordinal));
        }

        var config = _rig.Config("staging");
        config["aws:secretKey"] = value;
        _rig.Environment["PULUMI_CONFIG"] = config.ToJsonString();
    }
}
