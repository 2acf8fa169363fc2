using HaInfra.Model;
using HaInfra.Model.Outputs;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Stack outputs: hosts (name, site, role, region, zone, private IP and DNS, port), endpoints, bucket names, regions,
/// the metrics workspace and alert topics, and the two passwords as secret outputs. The hosts part is also the document the bootstrap verb reads.
/// </summary>
internal static class Outputs
{
    public const string CloudCaFile = "/etc/mysql/tls/ca.pem";
    public const int Port = 3306;

    public static void Add(AwsContext ctx)
    {
        var zone = ctx.Topology.Network.DnsZone;
        var graph = ctx.Graph;
        graph.Output(StackOutputNames.Hosts, HostList(ctx));
        graph.Output("endpoints", P.Map(("primary", $"primary.{zone}"), ("replicas", ctx.Topology.Replicas.Any() ? new PText($"replicas.{zone}") : null), ("port", Port)));
        graph.Output("regions", P.Map(("primary", ctx.PrimaryRegion), ("others", P.Texts(ctx.Topology.Regions.Skip(1)))));
        if (ctx.Backup is { } backup)
        {
            graph.Output(StackOutputNames.Buckets, P.Map((StackOutputNames.BackupBucket, backup.Bucket["bucket"]), (StackOutputNames.OffsiteBucket, backup.Offsite?["bucket"])));
        }

        if (ctx.Monitoring is { } monitoring)
        {
            // Where the metrics and alerts are: the workspace (query it, or point Grafana at it) and the topics to
            // subscribe to: alertTopicArn gets every Prometheus alert, alarmTopicArns the CloudWatch alarms of each region.
            graph.Output("monitoring", P.Map(
                ("workspaceId", monitoring.Workspace["id"]),
                ("workspaceRegion", ctx.PrimaryRegion),
                ("prometheusEndpoint", monitoring.Workspace["prometheusEndpoint"]),
                ("alertTopicArn", monitoring.AlertTopics[ctx.PrimaryRegion]["arn"]),
                ("alarmTopicArns", P.Map(ctx.Topology.Regions.Select(r => (r, (PValue)monitoring.AlertTopics[r]["arn"]))))));
        }

        if (TlsOutput(ctx) is { } tls)
        {
            graph.Output(StackOutputNames.Tls, tls);
        }

        graph.Output("adminPassword", ctx.Passwords.Admin["result"]);
        graph.Output("replicationPassword", ctx.Passwords.Replication["result"]);
    }

    /// <summary>What the bootstrap verb needs: the hosts, and with TLS the CA (where replicas find it, and its certificate).</summary>
    public static PMap BootstrapDocument(AwsContext ctx) => P.Map(
        (StackOutputNames.Hosts, HostList(ctx)),
        (StackOutputNames.Tls, TlsOutput(ctx)));

    /// <summary>The CA file on the hosts, and the CA certificate itself (public) that operators verify hosts against.</summary>
    private static PMap? TlsOutput(AwsContext ctx) => ctx.Tls is { } ca
        ? P.Map((StackOutputNames.CaFile, CloudCaFile), (StackOutputNames.CaCertificate, ca.CaCert["certPem"]))
        : null;

    private static PList HostList(AwsContext ctx) => P.List(ctx.Topology.Sites.SelectMany(site => site.Hosts.Select(host => (PValue)P.Map(
        (StackOutputNames.Name, host.Name),
        (StackOutputNames.Site, site.Name),
        (StackOutputNames.InitialRole, Spellings.Role.Of(host.Role)),
        (StackOutputNames.Region, site.Region),
        (StackOutputNames.Zone, host.Zone),
        (StackOutputNames.PrivateIp, ctx.Hosts[host.Name].Instance["privateIp"]),
        (StackOutputNames.PrivateDns, ctx.Hosts[host.Name].PrivateDns),
        (StackOutputNames.Port, Port)))));
}
