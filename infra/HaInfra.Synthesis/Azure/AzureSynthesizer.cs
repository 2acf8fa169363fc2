using HaInfra.Model;
using HaInfra.Rendering;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// The azure program for a stack (classic azure provider): every part adds its resources to one graph, in dependency
/// order. The same topology, outputs and bootstrap as the aws program; names, passwords, TLS certificates, outputs,
/// the bootstrap command, the hosts' cloud-init and the alert rules are shared with it (HaInfra.Synthesis.Common,
/// templates/). The alert rules' schedule-derived thresholds come from the caller, as on aws.
/// </summary>
public sealed class AzureSynthesizer(TemplateRenderer renderer, AlertThresholds thresholds) : ISynthesizer
{
    public CloudKind Cloud => CloudKind.Azure;

    public IReadOnlyList<string> Unsupported(Topology topology) => [.. VersionProblems(topology), .. Common.GaleraArbitrator.Problems(topology)];

    private static IReadOnlyList<string> VersionProblems(Topology topology) =>
        topology.Flavor == ServerFlavor.MariaDb && topology.Version.Series == new ServerVersion(10, 11, null)
            ? []
            : [$"hainfra:flavor/hainfra:version = {Spellings.Flavor.Of(topology.Flavor)} {topology.Version}: the azure program installs Debian 12's MariaDB 10.11 on its hosts. Fix: use flavor mariadb, version 10.11 (other versions come with their package repositories later)."];

    public ResourceGraph Synthesize(Topology topology)
    {
        var ctx = new AzureContext(topology, renderer, thresholds);
        Providers.Add(ctx);
        Network.Add(ctx);
        Secrets.Add(ctx);
        Metrics.Add(ctx);
        Hosts.Add(ctx);
        BackupStorage.Add(ctx);
        Dns.Add(ctx);
        Monitoring.Add(ctx);
        Outputs.AddBootstrap(ctx);
        Outputs.Add(ctx);
        return ctx.Graph;
    }
}
