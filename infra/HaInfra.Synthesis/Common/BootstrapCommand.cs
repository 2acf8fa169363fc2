using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Common;

/// <summary>
/// The replication bootstrap as part of `pulumi up`, the same on every cloud: a command:local:Command running our
/// CLI's `bootstrap` verb once the hosts, their disks, DNS names and secrets exist. Passwords go in as secret
/// environment variables, never as arguments; the hosts document goes in on stdin. Triggers re-run it when the
/// topology or a host changes.
/// </summary>
internal static class BootstrapCommand
{
    public const string AdminPasswordVariable = "HAINFRA_ADMIN_PASSWORD";
    public const string ReplicationPasswordVariable = "HAINFRA_REPLICATION_PASSWORD";

    /// <summary>Hosts install packages at first boot; the bootstrap waits this long for every server to answer.</summary>
    public const int WaitSeconds = 1200;

    /// <param name="dependsOn">What must exist first: the data disk attachments and the DNS records.</param>
    /// <param name="hostIds">Each host's machine id, in topology order: a replaced host re-runs the bootstrap.</param>
    public static void Add(ResourceGraph graph, Resource commandProvider, OutputSources from, IEnumerable<PValue> dependsOn, IEnumerable<PValue> hostIds)
    {
        var topology = from.Topology;
        List<PValue> triggers = [Fingerprint(topology), .. hostIds];
        graph.Add("replication-bootstrap", "command:local:Command", P.Map(
            ("create", $"./hainfra bootstrap --stack {topology.Stack} --outputs - --wait-seconds {WaitSeconds}"),
            ("stdin", P.ToJson(StackOutputs.BootstrapDocument(from))),
            ("environment", P.Map(
                (AdminPasswordVariable, from.Passwords.Admin["result"]),
                (ReplicationPasswordVariable, from.Passwords.Replication["result"]))),
            ("triggers", P.List(triggers))),
            SharedProviders.Via(commandProvider, ("dependsOn", P.List(dependsOn))));
    }

    /// <summary>Everything the bootstrap's decisions depend on, as one line: a change re-runs it.</summary>
    private static string Fingerprint(Topology topology) =>
        $"{Spellings.Flavor.Of(topology.Flavor)} {topology.Version} tls={topology.Tls} " +
        $"{Spellings.WaitPoint.Of(topology.Replication.WaitPoint)} {topology.Replication.SemiSyncTimeoutMs}ms; " +
        string.Join("; ", topology.Sites.SelectMany(s => s.Hosts.Select(h =>
            $"{h.Name}/{Spellings.Role.Of(h.Role)}/{s.Name}/{Spellings.ReplicationMode.Of(s.Mode)}/{h.ServerId}")));
}
