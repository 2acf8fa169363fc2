using HaInfra.Model;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>What the parts of the aws program share while it is built: the graph, and resources later parts refer to.</summary>
internal sealed class AwsContext(Topology topology, TemplateRenderer renderer, AlertThresholds thresholds)
{
    public Topology Topology { get; } = topology;

    public TemplateRenderer Renderer { get; } = renderer;

    /// <summary>The alert rules' thresholds that are not in the topology (backup ages from the schedules).</summary>
    public AlertThresholds Thresholds { get; } = thresholds;

    public ResourceGraph Graph { get; } = new();

    public Dictionary<string, Resource> Providers { get; } = new(StringComparer.Ordinal);

    public SharedProviders Shared { get; set; } = null!;

    public Resource RandomProvider => Shared.Random;

    public Resource CommandProvider => Shared.Command;

    public Resource TlsProvider => Shared.Tls;

    public Dictionary<string, Resource> Keys { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RegionResources> Regions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HostResources> Hosts { get; } = new(StringComparer.Ordinal);

    /// <summary>method: galera: each region's group of Galera nodes (the Galera ports between members only).</summary>
    public Dictionary<string, Resource> GaleraGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>method: galera: the record the first node claims when it starts the cluster (<see cref="GaleraBootstrapRecord"/>).</summary>
    public Resource? GaleraBootstrap { get; set; }

    public PasswordResources Passwords { get; set; } = null!;

    public BackupBucketResources? Backup { get; set; }

    public TlsAuthority? Tls { get; set; }

    public MonitoringResources? Monitoring { get; set; }

    public string PrimaryRegion => Topology.PrimarySite.Region;

    /// <summary>What the shared outputs and the bootstrap command read from this program.</summary>
    public OutputSources OutputSources => new(Topology, h => Hosts[h.Name].Instance["privateIp"], h => Hosts[h.Name].PrivateDns, Tls?.CaCert, Passwords.Pair);

    /// <summary>Options sending a resource through its region's explicit, pinned aws provider.</summary>
    public PMap Via(string region, params (string Key, PValue? Value)[] more) =>
        P.Map([("provider", Providers[region].Ref), .. more]);

    /// <summary>A Name tag plus any others; stack, project and manager tags come from the provider's default tags.</summary>
    public static PMap Tags(string name, params (string Key, string Value)[] more) =>
        P.Map([("Name", (PValue)name), .. more.Select(m => (m.Key, (PValue?)m.Value))]);
}

/// <summary>One region's network resources.</summary>
internal sealed record RegionResources(Resource Vpc, IReadOnlyDictionary<string, Resource> Subnets, Resource PrivateRouteTable, Resource SecurityGroup);

/// <summary>One host's resources that other parts refer to.</summary>
internal sealed record HostResources(Resource Instance, Resource DataVolume, Resource Attachment, Resource Profile, string PrivateDns);

internal sealed record PasswordResources(StackPasswords Pair, IReadOnlyDictionary<string, Resource> AdminParameters)
{
    public Resource Admin => Pair.Admin;

    public Resource Replication => Pair.Replication;
}

internal sealed record BackupBucketResources(Resource Bucket, Resource? Offsite);

/// <summary>The metrics workspace (primary region) and each region's alert topic.</summary>
internal sealed record MonitoringResources(Resource Workspace, IReadOnlyDictionary<string, Resource> AlertTopics);

/// <summary>The stack's TLS CA and, per region, the SSM parameter holding its certificate.</summary>
internal sealed record TlsAuthority(Resource CaKey, Resource CaCert, IReadOnlyDictionary<string, Resource> CaParameters);
