using HaInfra.Model;
using HaInfra.Model.Outputs;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Common;

/// <summary>What the outputs need from a cloud's program: each host's private IP and DNS name, the CA, the passwords.</summary>
/// <param name="PrivateIp">The host's private IP as a resource output (an instance's, a VM's).</param>
internal sealed record OutputSources(
    Topology Topology, Func<Host, PValue> PrivateIp, Func<Host, string> PrivateDns, Resource? CaCert, StackPasswords Passwords);

/// <summary>
/// The stack outputs every cloud writes alike: hosts (name, site, initial role, region, zone, private IP and DNS,
/// port), endpoints, regions, tls, and the two passwords as secret outputs. The hosts part (with tls) is also the
/// document the bootstrap verb reads, so bootstrap and the backup verbs need no cloud-specific code. Cloud-specific
/// outputs (buckets, monitoring) are written by the cloud between <see cref="AddHead"/> and <see cref="AddTail"/>.
/// </summary>
internal static class StackOutputs
{
    public const string CloudCaFile = "/etc/mysql/tls/ca.pem";
    public const int Port = 3306;

    public static void AddHead(ResourceGraph graph, OutputSources from)
    {
        var zone = from.Topology.Network.DnsZone;
        graph.Output(StackOutputNames.Hosts, HostList(from));
        graph.Output("endpoints", P.Map(("primary", $"primary.{zone}"), ("replicas", from.Topology.Replicas.Any() ? new PText($"replicas.{zone}") : null), ("port", Port)));
        graph.Output("regions", P.Map(("primary", from.Topology.PrimaryRegion), ("others", P.Texts(from.Topology.Regions.Skip(1)))));
    }

    public static void AddTail(ResourceGraph graph, OutputSources from)
    {
        if (TlsOutput(from) is { } tls)
        {
            graph.Output(StackOutputNames.Tls, tls);
        }

        graph.Output("adminPassword", from.Passwords.Admin["result"]);
        graph.Output("replicationPassword", from.Passwords.Replication["result"]);
    }

    /// <summary>What the bootstrap verb needs: the hosts, and with TLS the CA (where replicas find it, and its certificate).</summary>
    public static PMap BootstrapDocument(OutputSources from) => P.Map(
        (StackOutputNames.Hosts, HostList(from)),
        (StackOutputNames.Tls, TlsOutput(from)));

    /// <summary>The CA file on the hosts, and the CA certificate itself (public) that operators verify hosts against.</summary>
    private static PMap? TlsOutput(OutputSources from) => from.CaCert is { } ca
        ? P.Map((StackOutputNames.CaFile, CloudCaFile), (StackOutputNames.CaCertificate, ca["certPem"]))
        : null;

    private static PList HostList(OutputSources from) => P.List(from.Topology.Sites.SelectMany(site => site.Hosts.Select(host => (PValue)P.Map(
        (StackOutputNames.Name, host.Name),
        (StackOutputNames.Site, site.Name),
        (StackOutputNames.InitialRole, Spellings.Role.Of(host.Role)),
        (StackOutputNames.Region, site.Region),
        (StackOutputNames.Zone, host.Zone),
        (StackOutputNames.PrivateIp, from.PrivateIp(host)),
        (StackOutputNames.PrivateDns, from.PrivateDns(host)),
        (StackOutputNames.Port, Port)))));
}
