using HaInfra.Model;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// The aws program for a stack: every part adds its resources to one graph, in dependency order. The alert rules'
/// schedule-derived thresholds come from the caller (the CLI computes them with systemd's calendar arithmetic).
/// </summary>
public sealed class AwsSynthesizer(TemplateRenderer renderer, AlertThresholds thresholds) : ISynthesizer
{
    public CloudKind Cloud => CloudKind.Aws;

    public IReadOnlyList<string> Unsupported(Topology topology) => [.. VersionProblems(topology), .. Common.GaleraArbitrator.Problems(topology)];

    private static IReadOnlyList<string> VersionProblems(Topology topology) =>
        topology.Flavor == ServerFlavor.MariaDb && topology.Version.Series == new ServerVersion(10, 11, null)
            ? []
            : [$"hainfra:flavor/hainfra:version = {Spellings.Flavor.Of(topology.Flavor)} {topology.Version}: the aws program installs Debian 12's MariaDB 10.11 on its hosts. Fix: use flavor mariadb, version 10.11 (other versions come with their package repositories later)."];

    public ResourceGraph Synthesize(Topology topology)
    {
        var ctx = new AwsContext(topology, renderer, thresholds);
        Providers.Add(ctx);
        Kms.Add(ctx);
        Network.Add(ctx);
        SecurityGroups.Add(ctx);
        GaleraSecurityGroups.Add(ctx);
        GaleraBootstrapRecord.Add(ctx);
        Passwords.Add(ctx);
        Tls.Add(ctx);
        BackupBuckets.Add(ctx);
        Monitoring.Add(ctx);
        Hosts.Add(ctx);
        Dns.Add(ctx);
        Alarms.Add(ctx);
        Outputs.AddBootstrap(ctx);
        Outputs.Add(ctx);
        return ctx.Graph;
    }
}
