using HaInfra.Model;
using HaInfra.Operations.Locking;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// The replication bootstrap of a cloud stack from its outputs document, as `./hainfra bootstrap` and `pulumi up`
/// run it. Passwords come from environment variables only, never from arguments.
/// </summary>
public static class CloudBootstrap
{
    public const string AdminPasswordVariable = "HAINFRA_ADMIN_PASSWORD";
    public const string ReplicationPasswordVariable = "HAINFRA_REPLICATION_PASSWORD";
    private static readonly TimeSpan VerifyDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Input checks (every problem at once, InvalidInputException: exit 2, nothing changed), the wait for new hosts, then the shared bootstrap.</summary>
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

        // Two operators (or a pulumi up and an operator) on different machines: the lock on the hosts keeps them apart.
        await using var hostLock = await HostLock.AcquireAsync(
            connector, [.. topology.Hosts.Select(h => (h.Name, request.Admin[h.Name]))], ThisProcess.Describe(), log, ct);
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
}
