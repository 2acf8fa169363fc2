using System.Text.Json;
using System.Text.Json.Nodes;
using HaInfra.Model;
using HaInfra.Model.Outputs;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>One host as a cloud stack exports it: where operators reach it (IP) and where replicas do (private DNS).</summary>
public sealed record OutputHost(string Name, string PrivateIp, string PrivateDns, int Port);

/// <summary>
/// The part of a stack's outputs document (`pulumi stack output --json`, or the bootstrap command's stdin) that the
/// bootstrap needs: the hosts and, with TLS, the CA file path on the database hosts and the CA certificate (PEM) that
/// the operator's side verifies every host's certificate against.
/// </summary>
public sealed record StackOutputs(IReadOnlyList<OutputHost> Hosts, string? TlsCaFile, string? CaCertificate = null)
{
    /// <summary>The account cloud-init creates on every host for the bootstrap and other operations.</summary>
    public const string AdminUser = "hainfra_admin";

    /// <summary>Parses the document; every problem is reported, each naming the field.</summary>
    public static (StackOutputs? Outputs, IReadOnlyList<string> Problems) Parse(string json, string source)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            return (null, [$"{source}: is not JSON ({e.Message}). Fix: pass the output of `pulumi stack output --json`."]);
        }

        if (root?[StackOutputNames.Hosts] is not JsonArray hosts)
        {
            return (null, [$"{source}: has no '{StackOutputNames.Hosts}' list. Fix: pass the output of `pulumi stack output --json`."]);
        }

        var problems = new List<string>();
        var parsed = new List<OutputHost>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var path = $"{source}: {StackOutputNames.Hosts}[{i}]";
            var host = hosts[i] as JsonObject;
            var name = Text(host, StackOutputNames.Name);
            var ip = Text(host, StackOutputNames.PrivateIp);
            var dns = Text(host, StackOutputNames.PrivateDns);
            var port = host?[StackOutputNames.Port] is JsonValue v && v.TryGetValue<int>(out var p) ? p : (int?)null;
            var missing = new[] { (StackOutputNames.Name, name), (StackOutputNames.PrivateIp, ip), (StackOutputNames.PrivateDns, dns) }
                .Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
            if (port is null or < 1 or > 65535)
            {
                missing.Add(StackOutputNames.Port);
            }

            if (missing.Count > 0)
            {
                problems.Add($"{path}: {string.Join(", ", missing)} missing or not valid. Fix: each host needs name, privateIp, privateDns and a port number.");
                continue;
            }

            parsed.Add(new OutputHost(name!, ip!, dns!, port!.Value));
        }

        var tls = root[StackOutputNames.Tls] as JsonObject;
        var caFile = Text(tls, StackOutputNames.CaFile);
        var caCertificate = Text(tls, StackOutputNames.CaCertificate);
        if (caCertificate is not null && !OperatorCa.IsCertificate(caCertificate))
        {
            problems.Add($"{source}: {StackOutputNames.Tls}.{StackOutputNames.CaCertificate} is not a PEM certificate. Fix: pass the document the stack exports (`pulumi stack output --json`).");
        }

        return problems.Count > 0 ? (null, problems) : (new StackOutputs(parsed, caFile, caCertificate), []);
    }

    /// <summary>Problems matching the outputs to the stack: every host of the stack must be there.</summary>
    public IReadOnlyList<string> Mismatches(Topology topology)
    {
        var problems = topology.Hosts.Where(h => !Hosts.Any(o => o.Name == h.Name))
            .Select(h => $"the outputs have no host '{h.Name}' of stack '{topology.Stack}'. Fix: run `pulumi up` for this stack, or pass its current outputs.")
            .ToList();
        if (topology.Tls && string.IsNullOrEmpty(TlsCaFile))
        {
            problems.Add($"stack '{topology.Stack}' uses TLS but the outputs name no {StackOutputNames.Tls}.{StackOutputNames.CaFile}. Fix: pass the document the stack exports.");
        }

        if (topology.Tls && string.IsNullOrEmpty(CaCertificate))
        {
            problems.Add($"stack '{topology.Stack}' uses TLS but the outputs hold no {StackOutputNames.Tls}.{StackOutputNames.CaCertificate}, so the hosts' certificates " +
                "cannot be verified. Fix: run `pulumi up` with this version of HaInfra (the program exports it), then pass `pulumi stack output --json`.");
        }

        return problems;
    }

    /// <summary>
    /// Admin over TCP to each private IP — with TLS, each host's certificate verified against the stack's CA
    /// (<paramref name="operatorCaFile"/>, the CA certificate written where this process reads it); replicas reach
    /// sources by private DNS.
    /// </summary>
    public BootstrapRequest RequestFor(Topology topology, Secret adminPassword, Secret replicationPassword, TimeSpan deadline, string? operatorCaFile)
    {
        var byName = Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        return new BootstrapRequest(
            topology,
            topology.Hosts.ToDictionary(h => h.Name, h => SqlEndpoint.Tcp(h.Name, byName[h.Name].PrivateIp, byName[h.Name].Port, AdminUser, adminPassword, topology.Tls,
                topology.Tls ? operatorCaFile : null), StringComparer.Ordinal),
            topology.Hosts.ToDictionary(h => h.Name, h => new ServerAddress(byName[h.Name].PrivateDns, byName[h.Name].Port), StringComparer.Ordinal),
            // Any host may connect: the security groups already limit 3306 to the stack's database subnets and
            // application networks, and the account requires TLS when the stack uses it.
            new ReplicationAccount(ReplicationAccount.DefaultUser, "%", replicationPassword),
            topology.Tls ? TlsCaFile : null,
            deadline);
    }

    private static string? Text(JsonObject? node, string key) =>
        node?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
