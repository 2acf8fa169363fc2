using HaInfra.Model;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>What the parts of the azure program share while it is built: the graph, and resources later parts refer to.</summary>
internal sealed class AzureContext(Topology topology, TemplateRenderer renderer, AlertThresholds thresholds)
{
    public Topology Topology { get; } = topology;

    public TemplateRenderer Renderer { get; } = renderer;

    /// <summary>The alert rules' thresholds that are not in the topology (backup ages from the schedules).</summary>
    public AlertThresholds Thresholds { get; } = thresholds;

    public ResourceGraph Graph { get; } = new();

    /// <summary>The one azure provider of the subscription (the classic provider has no location: it is set per resource).</summary>
    public Resource Provider { get; set; } = null!;

    public SharedProviders Shared { get; set; } = null!;

    /// <summary>A random suffix for the globally unique names (storage accounts, Key Vault).</summary>
    public Resource NameSuffix { get; set; } = null!;

    /// <summary>The deploying identity (tenant and object id), from azure:core:getClientConfig.</summary>
    public PRef ClientConfig { get; set; } = null!;

    public Dictionary<string, RegionNetwork> Regions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AzureHost> Hosts { get; } = new(StringComparer.Ordinal);

    public StackPasswords Passwords { get; set; } = null!;

    public Vault Vault { get; set; } = null!;

    /// <summary>method: galera: the Key Vault secret the first node claims when it starts the cluster.</summary>
    public Resource? GaleraBootstrap { get; set; }

    public (Resource Key, Resource Cert)? TlsCa { get; set; }

    public BackupAccounts? Backup { get; set; }

    public MetricsResources Metrics { get; set; } = null!;

    public Resource ActionGroup { get; set; } = null!;

    public string PrimaryRegion => Topology.PrimarySite.Region;

    public string Stack => Topology.Stack;

    /// <summary>Options sending a resource through the explicit, pinned azure provider.</summary>
    public PMap Via(params (string Key, PValue? Value)[] more) => SharedProviders.Via(Provider, more);

    /// <summary>Azure has no provider-wide default tags in the classic provider: every resource carries stack and manager.</summary>
    public PMap Tags(params (string Key, string Value)[] more) =>
        P.Map([("stack", (PValue)Stack), ("managed-by", "hainfra"), .. more.Select(m => (m.Key, (PValue?)m.Value))]);

    /// <summary>The location and resource group of a region's resources.</summary>
    public (string Key, PValue? Value)[] In(string region) =>
        [("resourceGroupName", Regions[region].Group["name"]), ("location", region)];

    /// <summary>What the shared outputs and the bootstrap command read from this program.</summary>
    public OutputSources OutputSources => new(Topology, h => Hosts[h.Name].Vm["privateIpAddress"], h => Hosts[h.Name].PrivateDns, TlsCa?.Cert, Passwords);
}

/// <summary>One region's resource group and network; subnets by site name.</summary>
internal sealed record RegionNetwork(Resource Group, Resource VNet, IReadOnlyDictionary<string, Resource> Subnets, Resource SecurityGroup);

internal sealed record AzureHost(Resource Vm, Resource Identity, Resource DataDisk, Resource Attachment, string PrivateDns);

/// <summary>The stack's Key Vault and the admin password secret in it; the deployer's role assignment comes before any secret.</summary>
internal sealed record Vault(Resource KeyVault, Resource DeployerAccess, Resource AdminPassword);

/// <summary>The Azure Monitor workspace and the data collection endpoint and rule its metrics come in through.</summary>
internal sealed record MetricsResources(Resource Workspace, Resource Endpoint, Resource Rule);

internal sealed record BackupAccounts(Resource Account, Resource Container, Resource? Offsite, Resource? OffsiteContainer);
