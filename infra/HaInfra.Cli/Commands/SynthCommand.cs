using System.CommandLine;
using System.Text.Json.Nodes;
using HaInfra.Model.Config;
using HaInfra.Operations;
using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `synth`: the Pulumi YAML compiler (Pulumi.yaml runs it on every preview/up). Reads PULUMI_STACK/PULUMI_CONFIG,
/// else --stack; with neither prints a providers-only program. stdout carries the program and nothing else; errors go
/// to stderr with exit code 2. Secret config values are never printed.
/// </summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var stack = new Option<string?>("--stack", "-s") { Description = "Stack to synthesize when Pulumi's PULUMI_STACK is not set" };
        var command = new Command("synth", "Print the stack's Pulumi YAML program (Pulumi runs this; see Pulumi.yaml)") { stack };
        command.SetAction(parse => Run(Environment(), parse.GetValue(stack), parse.GetValue(CommonOptions.StacksDir), Console.Out, Console.Error));
        return command;
    }

    /// <summary>
    /// `synth` with only --stack/--stacks-dir, run without building the whole command tree: Pulumi runs it on every
    /// preview, and the parser setup for all verbs costs more than the synthesis. Anything else (--help, unknown
    /// options) returns false and goes through the full parser, which reports it.
    /// </summary>
    public static bool TryRunDirect(string[] args, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        exitCode = 0;
        string? stack = null;
        string? stacksDir = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stack" or "-s" when i + 1 < args.Length && !args[i + 1].StartsWith('-'):
                    stack = args[++i];
                    break;
                case "--stacks-dir" when i + 1 < args.Length && !args[i + 1].StartsWith('-'):
                    stacksDir = args[++i];
                    break;
                default:
                    return false;
            }
        }

        try
        {
            exitCode = Run(Environment(), stack, stacksDir, stdout, stderr);
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine(e.Message);
            exitCode = ExitCodes.InvalidInput;
        }

        return true;
    }

    public static int Run(IReadOnlyDictionary<string, string?> environment, string? stackOption, string? stacksDir, TextWriter stdout, TextWriter stderr)
    {
        var fromPulumi = PulumiEnvironmentReader.TryRead(environment);
        if (fromPulumi is null && stackOption is null)
        {
            stdout.Write(Synthesizer.Minimal());
            return ExitCodes.Ok;
        }

        var workspace = Workspace.Find(stacksDir);
        var raw = fromPulumi ?? StackFileReader.Read(workspace.StacksDir, stackOption!);
        var secretKeys = SecretKeys.Find(workspace.StacksDir, raw.Stack, environment);
        if (SecretKeys.SecretSettingsProblem(secretKeys, raw.Source) is { } secretSettings)
        {
            stderr.WriteLine(secretSettings);
            return ExitCodes.InvalidInput;
        }

        var loaded = TopologyLoader.Load(raw);
        if (loaded.Topology is not { } topology)
        {
            stderr.Write(loaded.Describe());
            return ExitCodes.InvalidInput;
        }

        var secretValues = secretKeys.Select(k => raw.Values.TryGetValue(k, out var v) ? Text(v) : null).OfType<string>().ToList();
        // The program carries the stack's alert rules, whose backup-age limits are systemd's calendar arithmetic on the
        // schedules: one systemd-analyze run, kept in the checkout's .build/cache until the schedules change.
        AlertThresholds thresholds;
        try
        {
            thresholds = AlertPlan.ThresholdsAsync(topology, AlertThresholds.CloudDataMountpoint, CancellationToken.None, CacheDir(workspace))
                .GetAwaiter().GetResult();
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"error: {raw.Source}: hainfra:backup.schedules: {e.Message}. Fix: give systemd OnCalendar expressions (man systemd.time).");
            return ExitCodes.InvalidInput;
        }

        var result = Synthesizer.Synthesize(topology, workspace.Renderer(), thresholds, secretValues);
        if (result.InputProblems.Count > 0)
        {
            stderr.WriteLine($"error: {raw.Source}: {result.InputProblems.Count} problem(s); no program was printed.");
            foreach (var problem in result.InputProblems)
            {
                stderr.WriteLine($"  - {problem}");
            }

            return ExitCodes.InvalidInput;
        }

        if (!result.Ok)
        {
            stderr.WriteLine($"error: the program synthesized for stack '{topology.Stack}' failed its own checks (a HaInfra bug); nothing was printed:");
            foreach (var problem in result.CheckProblems)
            {
                stderr.WriteLine($"  - {problem}");
            }

            return ExitCodes.Failed;
        }

        stdout.Write(result.Text);
        return ExitCodes.Ok;
    }

    private static string CacheDir(Workspace workspace) => Path.Combine(workspace.Root, ".build", "cache");

    internal static Dictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
