using HaInfra.Model;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Azure Monitor: one action group for the stack (in the primary region's resource group; subscribe e-mail, SMS or
/// webhooks to it, as aws users subscribe to the SNS topic); the database alerts (templates/monitoring/alerts.yml.sbn,
/// rendered as for aws and `render --alerts`) as managed Prometheus rule groups on the stack's workspace
/// (<see cref="Metrics"/>), notifying that group; and, per VM, a metric alert on the platform's VmAvailabilityMetric
/// (below 1: the VM is not running or not reachable by the platform).
/// </summary>
internal static class Monitoring
{
    public static void Add(AzureContext ctx)
    {
        var group = ctx.Regions[ctx.PrimaryRegion].Group["name"];
        var actionGroup = ctx.Graph.Add("alerts-action-group", "azure:monitoring:ActionGroup", P.Map(
            ("name", $"hainfra-{ctx.Stack}-alerts"),
            ("resourceGroupName", group),
            // At most 12 characters: the sender name in SMS and e-mail.
            ("shortName", $"hai-{AzureNames.Compact(ctx.Stack, 8)}"),
            ("enabled", true),
            ("tags", ctx.Tags())), ctx.Via());
        ctx.ActionGroup = actionGroup;
        PrometheusRuleGroups.Add(ctx, AlertRulesRenderer.Render(ctx.Renderer, ctx.Topology, ctx.Thresholds), actionGroup);

        foreach (var site in ctx.Topology.Sites)
        {
            foreach (var host in site.Hosts)
            {
                AddAvailabilityAlert(ctx, site, host, actionGroup);
            }
        }
    }

    private static void AddAvailabilityAlert(AzureContext ctx, Site site, Host host, Resource actionGroup) =>
        ctx.Graph.Add(AzureNames.Host(host.Name, "availability-alert"), "azure:monitoring:MetricAlert", P.Map(
            ("name", $"hainfra-{ctx.Stack}-{host.Name}-availability"),
            ("resourceGroupName", ctx.Regions[site.Region].Group["name"]),
            ("scopes", P.List(ctx.Hosts[host.Name].Vm["id"])),
            ("description", $"{host.Name} is not available (VM stopped, failed or unreachable by the platform)"),
            ("severity", 1),
            ("frequency", "PT1M"),
            ("windowSize", "PT5M"),
            ("autoMitigate", true),
            ("criterias", P.List(P.Map(
                ("metricNamespace", "Microsoft.Compute/virtualMachines"),
                ("metricName", "VmAvailabilityMetric"),
                ("aggregation", "Average"),
                ("operator", "LessThan"),
                ("threshold", 1)))),
            ("actions", P.List(P.Map(("actionGroupId", actionGroup["id"])))),
            ("tags", ctx.Tags(("host", host.Name)))), ctx.Via());
}
