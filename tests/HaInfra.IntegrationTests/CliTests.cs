using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The CLI as users run it: exit codes and messages.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-cli-").FullName;

    [Fact]
    public void Invalid_stack_gives_every_error_exit_code_2_and_starts_nothing()
    {
        var stacks = Path.Combine(_dir, "stacks");
        Directory.CreateDirectory(stacks);
        File.WriteAllText(Path.Combine(stacks, "Pulumi.bad.yaml"), """
            config:
              hainfra:cloud: aws
              hainfra:sites:
                - name: main
                  kind: primary
                  region: eu-west-1
                  zones: [eu-west-1a]
                  hosts:
                    - { name: db1, size: small, dataDiskGb: 20 }
                    - { name: db1, size: tiny, dataDiskGb: 20 }
                - name: dr
                  kind: remote
                  region: eu-west-1
                  zones: [eu-west-1b]
                  hosts: []
            """);
        var state = Path.Combine(_dir, "state");

        var (exit, stdout, stderr) = Run("local", "up", "--stack", "bad", "--stacks-dir", stacks, "--state-dir", state);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("4 problems; nothing was rendered, written or started", stderr);
        Assert.Contains("hainfra:sites[0].hosts[1].name = 'db1'", stderr);
        Assert.Contains("hainfra:sites[0].hosts[1].size = 'tiny'", stderr);
        Assert.Contains("hainfra:sites[1].region = 'eu-west-1'", stderr);
        Assert.Contains("hainfra:sites[1].hosts", stderr);
        Assert.False(Directory.Exists(state), "an invalid stack must not create the state directory");
    }

    [Fact]
    public void Unknown_option_is_exit_code_2()
    {
        var (exit, _, stderr) = Run("local", "up", "--stakc", "local");
        Assert.Equal(2, exit);
        Assert.Contains("--stakc", stderr);
    }

    [Fact]
    public void Validate_summarises_a_valid_stack()
    {
        var (exit, stdout, _) = Run("validate", "--stack", "prod");
        Assert.Equal(0, exit);
        Assert.Equal("stack 'prod' is valid: 4 sites, 6 hosts, primary prod-db-a1.\n", stdout);
    }

    [Fact]
    public void Render_writes_one_my_cnf_per_host()
    {
        var (exit, _, _) = Run("render", "--stack", "staging", "--out", _dir);
        Assert.Equal(0, exit);
        Assert.Equal(4, Directory.GetFiles(_dir, "my.cnf", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Hash_through_passes_the_stream_unchanged_and_writes_its_sha256_and_size()
    {
        var original = Path.Combine(_dir, "original");
        var copy = Path.Combine(_dir, "copy");
        var (sha, size) = (Path.Combine(_dir, "sha256"), Path.Combine(_dir, "bytes"));

        var (exit, _, stderr) = Processes.Run("bash",
            ["-c", "set -o pipefail; head -c 3000000 /dev/urandom | tee \"$1\" | dotnet \"$2\" hash-through \"$3\" \"$4\" > \"$5\"", "test", original, Dll, sha, size, copy],
            new Dictionary<string, string?>());

        Assert.True(exit == 0, stderr);
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(original))) + "\n", File.ReadAllText(sha));
        Assert.Equal("3000000\n", File.ReadAllText(size));
    }

    [Fact]
    public void Hash_through_without_its_two_files_is_a_usage_error()
    {
        var (exit, stdout, stderr) = Run("hash-through", Path.Combine(_dir, "sha256"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("usage: hainfra hash-through SHA256_FILE BYTES_FILE", stderr);
    }

    [Fact]
    public void Explain_methods_quotes_a_recorded_bench_run_and_the_stacks_failover_settings()
    {
        var figures = Path.Combine(_dir, "methods.result");
        File.WriteAllText(figures, "# bench/methods at abc1234 on 2026-12-07\nRESULT async_tps=1000 semisync_tps=950 semisync_ratio=0.95 galera_failover_s=6.5\n");

        var (exit, stdout, stderr) = Run("explain", "methods", "--stack", "prod", "--figures", figures);

        Assert.True(exit == 0, stderr);
        Assert.Contains("stack 'prod'. Figures: bench/methods at abc1234 on 2026-12-07.", stdout);
        Assert.Contains("950 tps, 0.95× async", stdout);
        Assert.Contains("measured 6.50 s", stdout);
        Assert.Contains("not measured", stdout);
    }

    [Fact]
    public void Explain_methods_reports_every_bad_argument_at_once_with_exit_code_2()
    {
        var (exit, stdout, stderr) = Run("explain", "methods", "--stack", "nosuch", "--format", "html", "--figures", Path.Combine(_dir, "missing"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--format html", stderr);
        Assert.Contains("--figures", stderr);
        Assert.Contains("nosuch", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static (int Exit, string Stdout, string Stderr) Run(params string[] args) => RunWith(new Dictionary<string, string?>(), args);

    /// <summary>Runs the CLI dll with extra environment variables; a null value removes the variable.</summary>
    internal static (int Exit, string Stdout, string Stderr) RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var withRoot = new Dictionary<string, string?>(StringComparer.Ordinal) { ["HAINFRA_ROOT"] = RepoRoot.Path };
        foreach (var (name, value) in environment)
        {
            withRoot[name] = value;
        }

        return Processes.Run("dotnet", [Dll, .. args], withRoot);
    }

    /// <summary>The CLI built beside the tests.</summary>
    internal static string Dll => Path.Combine(AppContext.BaseDirectory, "hainfra.dll");
}
