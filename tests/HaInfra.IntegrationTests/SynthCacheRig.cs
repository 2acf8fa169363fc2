using System.Text.Json.Nodes;
using HaInfra.Model.Config;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>One synth through scripts/synth-cache.bash: what the compiler printed and whether the cache answered.</summary>
internal sealed record CachedSynth(int Exit, string Stdout, string Stderr)
{
    public bool Hit => Stderr.Contains("synth cache: hit", StringComparison.Ordinal);

    public bool Miss => Stderr.Contains("synth cache: miss", StringComparison.Ordinal);
}

/// <summary>
/// A checkout of its own for the synth output cache: Pulumi.yaml, stacks/ and templates/ copied to a temporary
/// directory, a stand-in CLI build directory (the cache keys on its files) and a cache directory. The compiler is the
/// CLI built beside the tests, run as ./hainfra runs it: through the cache, with the Pulumi environment.
/// </summary>
internal sealed class SynthCacheRig : IDisposable
{
    public SynthCacheRig()
    {
        Root = Directory.CreateTempSubdirectory("hainfra-synth-cache-").FullName;
        File.Copy(Path.Combine(RepoRoot.Path, "Pulumi.yaml"), Path.Combine(Root, "Pulumi.yaml"));
        CopyTree(RepoRoot.Stacks, Stacks);
        CopyTree(RepoRoot.Templates, Path.Combine(Root, "templates"));
        Directory.CreateDirectory(CliDir);
        File.WriteAllText(Path.Combine(CliDir, "hainfra.dll"), "build 1");
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HAINFRA_ROOT"] = Root,
            ["HAINFRA_SYNTH_CACHE_TRACE"] = "1",
            ["PULUMI_STACK"] = "staging",
            ["PULUMI_PROJECT"] = "hainfra",
            ["PULUMI_ORGANIZATION"] = "organization",
            ["PULUMI_ROOT_DIRECTORY"] = Root,
            ["PULUMI_CONFIG_SECRET_KEYS"] = null,
        };
        Environment["PULUMI_CONFIG"] = Config("staging").ToJsonString();
    }

    public string Root { get; }

    public string Stacks => Path.Combine(Root, "stacks");

    public string CliDir => Path.Combine(Root, "cli");

    public string CacheDir => Path.Combine(Root, "cache");

    /// <summary>The environment the next synth runs with; a null value removes the variable.</summary>
    public Dictionary<string, string?> Environment { get; }

    /// <summary>PULUMI_CONFIG as Pulumi builds it from the rig's stack file: structured values JSON-encoded.</summary>
    public JsonObject Config(string stack)
    {
        var config = new JsonObject();
        foreach (var (key, value) in StackFileReader.Read(Stacks, stack).Values)
        {
            config[key] = value is JsonValue ? value.DeepClone() : value!.ToJsonString();
        }

        return config;
    }

    public CachedSynth Synth() => Through("dotnet", CliTests.Dll, "synth");

    /// <summary>Runs <paramref name="command"/> as the compiler, through the cache.</summary>
    public CachedSynth Through(params string[] command)
    {
        var (exit, stdout, stderr) = Processes.Run("bash",
            ["-c", "set -euo pipefail; . \"$0\"; synth_cached \"$@\"", Path.Combine(RepoRoot.Path, "scripts", "synth-cache.bash"), CliDir, CacheDir, .. command],
            Environment);
        return new CachedSynth(exit, stdout, stderr);
    }

    /// <summary>The compiler run directly, without the cache, in the same environment.</summary>
    public (int Exit, string Stdout, string Stderr) Direct() => CliTests.RunWith(Environment, "synth");

    public IEnumerable<string> Entries(string extension) =>
        Directory.Exists(CacheDir) ? Directory.GetFiles(CacheDir, "*." + extension) : [];

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
