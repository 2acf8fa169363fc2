using HaInfra.Model.Outputs;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Stack outputs: the shared ones (<see cref="StackOutputs"/>: hosts, endpoints, regions, tls, passwords) and the
/// aws ones between them: bucket names, the metrics workspace and alert topics.
/// </summary>
internal static class Outputs
{
    public static void Add(AwsContext ctx)
    {
        var graph = ctx.Graph;
        var from = ctx.OutputSources;
        StackOutputs.AddHead(graph, from);
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

        StackOutputs.AddTail(graph, from);
    }

    /// <summary>The replication bootstrap (<see cref="BootstrapCommand"/>): after every data volume is attached and every record exists.</summary>
    public static void AddBootstrap(AwsContext ctx) => BootstrapCommand.Add(ctx.Graph, ctx.CommandProvider, ctx.OutputSources,
        [
            .. ctx.Hosts.Values.Select(h => (PValue)h.Attachment.Ref),
            .. ctx.Graph.Resources.Where(r => r.Type == "aws:route53:Record").Select(r => (PValue)r.Ref),
        ],
        ctx.Topology.Hosts.Select(h => (PValue)ctx.Hosts[h.Name].Instance["id"]));
}
