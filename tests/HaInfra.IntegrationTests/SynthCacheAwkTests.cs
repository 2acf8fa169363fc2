using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// scripts/synth-cache.awk, under every awk installed (the cache prefers mawk): how it blanks secret values out of
/// PULUMI_CONFIG for the key, when it refuses a config (exit 3: no caching), and its check of a cached program.
/// </summary>
public sealed class SynthCacheAwkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-synth-awk-").FullName;

    public static TheoryData<string> Awks { get; } = new(new[] { "mawk", "gawk", "awk" }.Where(OnPath));

    [Theory]
    [MemberData(nameof(Awks))]
    public void Redact_blanks_exactly_the_secret_values_and_keeps_every_other_byte(string awk)
    {
        const string config = """ { "aws:secretKey" : "s3cr\"et{[" ,"password":"p4ss","hainfra:sites":"[{\"name\":\"}\\\"\"}]","aws:region":"eu-west-1","n":5,"o":{"a":["x","}"]}} """;
        var (exit, output) = Redact(awk, config, "aws:secretKey", "hainfra:password");
        Assert.Equal(0, exit);
        Assert.Equal(config.Replace("\"s3cr\\\"et{[\"", "\"*\"", StringComparison.Ordinal).Replace("\"p4ss\"", "\"*\"", StringComparison.Ordinal), output);
    }

    [Theory]
    [MemberData(nameof(Awks))]
    public void Redact_refuses_what_it_cannot_read_with_certainty(string awk)
    {
        foreach (var config in new[]
                 {
                     """{"aws:secret\u004bey":"v"}""", // an escaped key could name a secret key in disguise
                     """{"aws:secretKey":5}""", // a secret that is not a string
                     """{"a":"b\u0001"}""".Replace("\\u0001", "\u0001", StringComparison.Ordinal), // raw control character
                     """{"a":"b" """, // unterminated
                     """{"a":"b"} x""", // trailing text
                     "[1]", // not an object
                     " ",
                 })
        {
            Assert.True(Redact(awk, config, "aws:secretKey").Exit == 3, $"{awk} read {config}");
        }

        Assert.Equal((0, ""), Redact(awk, "", "aws:secretKey"));
        Assert.Equal((0, "{}"), Redact(awk, "{}", "aws:secretKey"));
    }

    [Theory]
    [MemberData(nameof(Awks))]
    public void Check_passes_a_program_only_when_no_secret_value_can_be_in_it(string awk)
    {
        var program = Path.Combine(_dir, "program.yaml");
        File.WriteAllText(program, "resources:\n  db1:\n    name: \"prod-db-a1\"\n");
        Assert.Equal(0, Check(awk, program, """{"aws:secretKey":"absent-value","other":"prod-db-a1"}"""));
        Assert.Equal(1, Check(awk, program, """{"aws:secretKey":"db-a1"}"""));
        Assert.Equal(0, Check(awk, program, """{"aws:secretKey":"db"}""")); // under 4 characters, as the compiler's own check
        Assert.Equal(1, Check(awk, program, """{"aws:secretKey":"with space"}""")); // might be shown otherwise in YAML
        Assert.Equal(1, Check(awk, program, """{"aws:secretKey":"quo\"te"}"""));
        Assert.Equal(1, Check(awk, program, """{"aws:secretKey":"[1,2]"}""")); // re-encoded by the compiler before its check
        Assert.Equal(1, Check(awk, Path.Combine(_dir, "missing.yaml"), """{"aws:secretKey":"absent-value"}"""));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Output) Redact(string awk, string config, params string[] secretKeys)
    {
        var (exit, stdout, _) = Awk(awk, config, "redact", "/dev/null", secretKeys);
        return (exit, stdout);
    }

    private int Check(string awk, string program, string config) => Awk(awk, config, "check", program, "aws:secretKey").Exit;

    private (int Exit, string Stdout, string Stderr) Awk(string awk, string config, string mode, string program, params string[] secretKeys)
    {
        var keys = Path.Combine(_dir, "keys");
        File.WriteAllText(keys, string.Concat(secretKeys.Select(k => k + "\n")));
        return Processes.Run(awk, ["-v", $"mode={mode}", "-v", $"keys={keys}", "-v", $"program={program}", "-f", Path.Combine(RepoRoot.Path, "scripts", "synth-cache.awk")],
            new Dictionary<string, string?> { ["PULUMI_CONFIG"] = config, ["LC_ALL"] = "C" });
    }

    private static bool OnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
