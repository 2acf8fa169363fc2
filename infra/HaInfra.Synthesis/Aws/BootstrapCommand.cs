using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// The replication bootstrap as part of `pulumi up`: a command:local:Command running our CLI's `bootstrap` verb once
/// the hosts, their disks, DNS names and secrets exist. Passwords go in as secret environment variables, never as
/// arguments; the hosts document goes in on stdin. Triggers re-run it when the topology or a host changes.
/// </summary>
internal static class BootstrapCommand
{
    public const string AdminPasswordVariable = "HAINFRA_ADMIN_PASSWORD";
    public const string ReplicationPasswordVariable = "HAINFRA_REPLICATION_PASSWORD";

    /// <summary>Hosts install packages at first boot; the bootstrap waits this long for every server to answer.</summary>
    public const int WaitSeconds = 1200;

    public static void Add(AwsContext ctx)
    {
        var topology = ctx.Topology;
        List<PValue> dependsOn =
        [
            .. ctx.Hosts.Values.Select(h => (PValue)h.Attachment.Ref),
            .. ctx.Graph.Resources.Where(r => r.Type == "aws:route53:Record").Select(r => (PValue)r.Ref),
        ];
        List<PValue> triggers = [Fingerprint(topology), .. topology.Hosts.Select(h => (PValue)ctx.Hosts[h.Name].Instance["id"])];
        ctx.Graph.Add("replication-bootstrap", "command:local:Command", P.Map(
            ("create", $"./hainfra bootstrap --stack {topology.Stack} --outputs - --wait-seconds {WaitSeconds}"),
            ("stdin", P.ToJson(Outputs.BootstrapDocument(ctx))),
            ("environment", P.Map(
                (AdminPasswordVariable, ctx.Passwords.Admin["result"]),
                (ReplicationPasswordVariable, ctx.Passwords.Replication["result"]))),
            ("triggers", P.List(triggers))),
            Providers.Via(ctx.CommandProvider, ("dependsOn", P.List(dependsOn))));
    }

    /// <summary>Everything the bootstrap's decisions depend on, as one line: a change re-runs it.</summary>
    private static string Fingerprint(Topology topology) =>
        $"{Spellings.Flavor.Of(topology.Flavor)} {topology.Version} tls={topology.Tls} " +
        $"{Spellings.WaitPoint.Of(topology.Replication.WaitPoint)} {topology.Replication.SemiSyncTimeoutMs}ms; " +
        string.Join("; ", topology.Sites.SelectMany(s => s.Hosts.Select(h =>
            $"{h.Name}/{Spellings.Role.Of(h.Role)}/{s.Name}/{Spellings.ReplicationMode.Of(s.Mode)}/{h.ServerId}")));
}
