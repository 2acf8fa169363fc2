using HaInfra.Model.Outputs;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Stack outputs: the shared ones (<see cref="StackOutputs"/>: hosts, endpoints, regions, tls, passwords, exactly as
/// on aws) and the azure ones between them: the backup containers and their storage accounts, the action group.
/// </summary>
internal static class Outputs
{
    public static void Add(AzureContext ctx)
    {
        var graph = ctx.Graph;
        var from = ctx.OutputSources;
        StackOutputs.AddHead(graph, from);
        if (ctx.Backup is { } backup)
        {
            graph.Output(StackOutputNames.Buckets, P.Map(
                (StackOutputNames.BackupBucket, backup.Container["name"]),
                (StackOutputNames.OffsiteBucket, backup.OffsiteContainer?["name"]),
                (StackOutputNames.BackupAccount, backup.Account["name"]),
                (StackOutputNames.OffsiteAccount, backup.Offsite?["name"])));
        }

        // Where the metrics and alerts are, as on aws: the workspace (its query endpoint answers through a private
        // endpoint only), the rule hosts write through, and the action group to subscribe to.
        graph.Output("monitoring", P.Map(
            ("workspaceId", ctx.Metrics.Workspace["id"]),
            ("workspaceRegion", ctx.PrimaryRegion),
            ("queryEndpoint", ctx.Metrics.Workspace["queryEndpoint"]),
            ("dataCollectionRuleId", ctx.Metrics.Rule["id"]),
            ("actionGroupId", ctx.ActionGroup["id"])));
        StackOutputs.AddTail(graph, from);
    }

    /// <summary>The replication bootstrap (<see cref="BootstrapCommand"/>): after every data disk is attached and every record exists.</summary>
    public static void AddBootstrap(AzureContext ctx) => BootstrapCommand.Add(ctx.Graph, ctx.Shared.Command, ctx.OutputSources,
        [
            .. ctx.Topology.Hosts.Select(h => (PValue)ctx.Hosts[h.Name].Attachment.Ref),
            .. ctx.Graph.Resources.Where(r => r.Type == "azure:privatedns:ARecord").Select(r => (PValue)r.Ref),
            .. ctx.Graph.Resources.Where(r => r.Type == "azure:authorization:Assignment").Select(r => (PValue)r.Ref),
        ],
        ctx.Topology.Hosts.Select(h => (PValue)ctx.Hosts[h.Name].Vm["id"]));
}
