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
    public const string AdminPasswordVariable = "HAINFRA_ADMIN_PASSWORD";
    public const string ReplicationPasswordVariable = "HAINFRA_REPLICATION_PASSWORD";
    private static readonly TimeSpan VerifyDeadline = TimeSpan.FromSeconds(120);

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

    /// <summary>The verb's work, callable in-process: input checks (exit 2 territory), wait, then the shared bootstrap.</summary>
    public static async Task<BootstrapResult> RunAsync(
        Topology topology, string outputsJson, string source, IReadOnlyDictionary<string, string?> environment, TimeSpan wait,
        ISqlConnector connector, IStepLog log, CancellationToken ct = default)
    {
        var problems = new List<string>();
        var admin = Password(environment, AdminPasswordVariable, problems);
        var replication = Password(environment, ReplicationPasswordVariable, problems);
        var (outputs, outputProblems) = StackOutputs.Parse(outputsJson, source);
        problems.AddRange(outputProblems);
        if (outputs is not null)
        {
            problems.AddRange(outputs.Mismatches(topology));
        }

        if (problems.Count > 0)
        {
            throw new InvalidInputException($"error: {problems.Count} problem(s); nothing was changed:\n  - {string.Join("\n  - ", problems)}");
        }

        using var ca = topology.Tls ? OperatorCa.Write(outputs!.CaCertificate!) : null;
        var request = outputs!.RequestFor(topology, admin!, replication!, VerifyDeadline, ca?.File);
        if (wait > TimeSpan.Zero)
        {
            await ServerWait.UntilReachableAsync(connector, request.Admin, wait, log, ct);
        }

        return await new ReplicationBootstrap(connector, log).RunAsync(request, writeCanary: false, ct);
    }

    private static Secret? Password(IReadOnlyDictionary<string, string?> environment, string variable, List<string> problems)
    {
        if (environment.TryGetValue(variable, out var value) && !string.IsNullOrEmpty(value))
        {
            return new Secret(value);
        }

        problems.Add($"${variable} is not set. Fix: export it (pulumi up sets it from the stack's secret outputs; by hand: " +
            $"export {variable}=\"$(pulumi stack output --show-secrets {(variable == AdminPasswordVariable ? "adminPassword" : "replicationPassword")})\").");
        return null;
    }

    private static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new InvalidInputException($"error: --outputs {path}: no such file. Fix: pass `pulumi stack output --json > outputs.json`, or - for stdin.");
}
