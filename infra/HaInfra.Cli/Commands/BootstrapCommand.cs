using System.CommandLine;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `bootstrap`: the replication bootstrap against a realized stack described by its outputs document (`pulumi stack
/// output --json`, or stdin with `--outputs -`). `pulumi up` runs it through a command:local:Command. Passwords come
/// from environment variables only, never from arguments.
/// </summary>
public static class BootstrapCommand
{
    public const string AdminPasswordVariable = CloudBootstrap.AdminPasswordVariable;
    public const string ReplicationPasswordVariable = CloudBootstrap.ReplicationPasswordVariable;

    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var outputs = new Option<string>("--outputs", "-o")
        {
            Description = "The stack's outputs document (JSON), or - for stdin",
            Required = true,
        };
        var wait = new Option<int>("--wait-seconds") { Description = "Wait up to this long for every server to accept the admin login (new hosts)" };
        var command = new Command("bootstrap", $"Bring up replication on a realized stack from its outputs document; passwords from ${AdminPasswordVariable} and ${ReplicationPasswordVariable}")
        {
            stack, outputs, wait,
        };
        command.SetAction(async (parse, ct) =>
        {
            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var topology = workspace.LoadStack(parse.GetValue(stack)!);
            var path = parse.GetValue(outputs)!;
            var json = path == "-" ? await Console.In.ReadToEndAsync(ct) : ReadFile(path);
            var result = await RunAsync(topology, json, path == "-" ? "stdin" : path, SynthCommand.Environment(), TimeSpan.FromSeconds(parse.GetValue(wait)),
                new ServerConnector(), new ConsoleStepLog(), ct);
            Console.Out.WriteLine(result.Changed
                ? $"replication bootstrapped for stack '{topology.Stack}': {result.Verified.Count} replicas verified (canary GTID {result.CanaryGtid})."
                : $"nothing to do: every replica of stack '{topology.Stack}' replicates and has applied '{result.CanaryGtid}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The verb's work, callable in-process (CloudBootstrap: input checks, wait, the shared bootstrap).</summary>
    public static Task<BootstrapResult> RunAsync(
        Topology topology, string outputsJson, string source, IReadOnlyDictionary<string, string?> environment, TimeSpan wait,
        ISqlConnector connector, IStepLog log, CancellationToken ct = default) =>
        CloudBootstrap.RunAsync(topology, outputsJson, source, environment, wait, connector, log, ct);

    private static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new InvalidInputException($"error: --outputs {path}: no such file. Fix: pass `pulumi stack output --json > outputs.json`, or - for stdin.");
}
