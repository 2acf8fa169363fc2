using HaInfra.Model;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Where the hosts' database metrics go on azure, the counterpart of aws's Amazon Managed Service for Prometheus
/// workspace: an Azure Monitor workspace (managed Prometheus) in the primary region, fed through a data collection
/// endpoint and rule of its own. Every host, DR hosts included, remote-writes to that rule with its managed identity,
/// which may publish metrics through this rule and nothing else. The workspace's query endpoint is closed to the
/// internet (nothing of the stack queries it; Grafana or operators reach it through a private endpoint they add);
/// the ingestion endpoint stays public because hosts reach Azure Monitor through the subnets' default outbound
/// access (a private link scope with its private endpoints and DNS zones is a follow-up) — writes still need a token
/// of an identity holding "Monitoring Metrics Publisher" on the rule.
/// </summary>
internal static class Metrics
{
    public const string PublisherRole = "Monitoring Metrics Publisher";

    /// <summary>The stream Azure Monitor stores Prometheus samples in, and the rule's name for the workspace.</summary>
    private const string Stream = "Microsoft-PrometheusMetrics";
    private const string Destination = "workspace";

    /// <summary>The remote-write API version of Azure Monitor's metrics ingestion.</summary>
    private const string IngestionApiVersion = "2023-04-24";

    public const string EndpointName = "metrics-endpoint";
    public const string RuleName = "metrics-rule";

    public static void Add(AzureContext ctx)
    {
        var primary = ctx.PrimaryRegion;
        var name = $"hainfra-{ctx.Stack}-metrics";
        var workspace = ctx.Graph.Add("metrics-workspace", "azure:monitoring:Workspace", P.Map([
            ("name", name),
            .. ctx.In(primary),
            ("publicNetworkAccessEnabled", false),
            ("tags", ctx.Tags())]), ctx.Via());
        var endpoint = ctx.Graph.Add(EndpointName, "azure:monitoring:DataCollectionEndpoint", P.Map([
            ("name", name),
            .. ctx.In(primary),
            ("description", $"HaInfra {ctx.Stack}: the database hosts' Prometheus remote writes"),
            ("publicNetworkAccessEnabled", true),
            ("tags", ctx.Tags())]), ctx.Via());
        var rule = ctx.Graph.Add(RuleName, "azure:monitoring:DataCollectionRule", P.Map([
            ("name", name),
            .. ctx.In(primary),
            ("description", $"HaInfra {ctx.Stack}: Prometheus samples of the database hosts into the workspace {name}"),
            ("dataCollectionEndpointId", endpoint["id"]),
            ("destinations", P.Map(("monitorAccounts", P.List(P.Map(("monitorAccountId", workspace["id"]), ("name", Destination)))))),
            ("dataFlows", P.List(P.Map(("streams", P.Texts([Stream])), ("destinations", P.Texts([Destination]))))),
            ("tags", ctx.Tags())]), ctx.Via());
        ctx.Metrics = new MetricsResources(workspace, endpoint, rule);
    }

    /// <summary>Lets a host's identity publish metrics through the stack's rule, and nothing broader.</summary>
    public static void Grant(AzureContext ctx, Host host, Resource identity) =>
        ctx.Graph.Add(AzureNames.Host(host.Name, "publishes-metrics"), "azure:authorization:Assignment", P.Map(
            ("scope", ctx.Metrics.Rule["id"]),
            ("roleDefinitionName", PublisherRole),
            ("principalId", identity["principalId"]),
            ("principalType", "ServicePrincipal"),
            ("description", $"HaInfra {ctx.Stack}: {host.Name} remote-writes its metrics through this rule")), ctx.Via());

    /// <summary>Where a host's agent writes: the rule's Prometheus remote-write URL on the endpoint, with a managed identity's token.</summary>
    public static HostMonitoring ForHosts(AzureContext ctx) => ForHosts(ctx.PrimaryRegion, EndpointName, RuleName);

    /// <summary><see cref="ForHosts(AzureContext)"/> for the endpoint and rule of these logical names.</summary>
    public static HostMonitoring ForHosts(string primaryRegion, string endpoint, string rule) => new(
        $"{new PRef(endpoint, "metricsIngestionEndpoint")}/dataCollectionRules/{new PRef(rule, "immutableId")}/streams/{Stream}/api/v1/write?api-version={IngestionApiVersion}",
        primaryRegion, RemoteWriteAuth.ManagedIdentityToken);

    /// <summary>The references a host's custom data holds for its metrics agent.</summary>
    public static PRef[] References(AzureContext ctx) => [ctx.Metrics.Endpoint["metricsIngestionEndpoint"], ctx.Metrics.Rule["immutableId"]];
}
