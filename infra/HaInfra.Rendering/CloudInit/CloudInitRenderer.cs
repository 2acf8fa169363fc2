using HaInfra.Model;
using HaInfra.Rendering.Monitoring;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Rendering.CloudInit;

/// <summary>
/// What a cloud host's first boot needs besides the topology: its region, its data volume's id and the names of
/// the secrets it reads (SSM parameters on aws, Key Vault secrets on azure), and where its metrics go (null: no
/// metrics agent). <paramref name="Azure"/> set: an azure host (Key Vault, managed identity, data disk by LUN).
/// Values may be program references (e.g. "${db1_data.id}").
/// </summary>
public sealed record CloudInitInputs(
    string Region, string DataVolumeId, string AdminPasswordParameter, TlsParameters? Tls, HostMonitoring? Monitoring = null, AzureHostAccess? Azure = null,
    GaleraStart? Galera = null);

/// <summary>
/// How a Galera node starts at first boot: every node joins the running cluster, except that the first node starts a
/// new one when the stack is created (no Galera state on disk, and the stack's bootstrap record still reads
/// <see cref="Unclaimed"/>, which it then overwrites). <paramref name="BootstrapRecord"/> is that record: an SSM
/// parameter on aws, a Key Vault secret on azure; only the first node may write it.
/// </summary>
public sealed record GaleraStart(bool FirstNode, string BootstrapRecord)
{
    public const string Unclaimed = "unclaimed";

    /// <summary>How <paramref name="host"/> starts; null for a host outside the cluster.</summary>
    public static GaleraStart? For(Topology topology, Host host, string bootstrapRecord)
    {
        var nodes = Model.Galera.GaleraCluster.Nodes(topology);
        return nodes.Any(n => n.Name == host.Name) ? new GaleraStart(nodes[0].Name == host.Name, bootstrapRecord) : null;
    }
}

/// <summary>How an azure host finds its data disk and its secrets: the disk's LUN, the stack's Key Vault, the host's identity.</summary>
public sealed record AzureHostAccess(int DataDiskLun, string KeyVaultName, string IdentityClientId);

/// <summary>Where the CA certificate, the host's certificate and its private key are (SSM parameters, or Key Vault secret names).</summary>
public sealed record TlsParameters(string Ca, string Certificate, string PrivateKey);

/// <summary>Renders a host's cloud-config from templates/cloud-init/, with the host's rendered my.cnf (and metrics agent configuration) inside.</summary>
public static class CloudInitRenderer
{
    public const string Template = "cloud-init/mariadb-host";

    public static RenderedFile Render(TemplateRenderer renderer, Topology topology, Host host, CloudInitInputs inputs)
    {
        var entry = renderer.Catalog.Get(Template);
        var myCnf = MyCnfRenderer.Render(renderer, topology, host).Text;
        var agent = inputs.Monitoring is { } monitoring ? PrometheusAgentRenderer.Render(renderer, topology, host, monitoring).Text : "";
        var view = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"host {host.Name} of stack {topology.Stack}"),
            ["host"] = host.Name,
            ["site"] = host.Site,
            ["region"] = inputs.Region,
            ["zone"] = host.Zone,
            ["stack"] = topology.Stack,
            ["version"] = topology.Version.ToString(),
            ["myCnf"] = Indent(myCnf, 6),
            ["dataVolumeId"] = inputs.DataVolumeId,
            ["adminPasswordParameter"] = inputs.AdminPasswordParameter,
            ["azure"] = inputs.Azure is not null,
            ["keyVault"] = inputs.Azure?.KeyVaultName ?? "",
            ["identityClientId"] = inputs.Azure?.IdentityClientId ?? "",
            ["dataDiskLun"] = inputs.Azure?.DataDiskLun ?? 0,
            ["secretStore"] = inputs.Azure is null ? "SSM Parameter Store" : "Key Vault",
            ["hostIdentity"] = inputs.Azure is null ? "IAM role" : "managed identity",
            ["secretClient"] = inputs.Azure is null ? "awscli" : "curl",
            ["tls"] = inputs.Tls is not null,
            ["tlsCaParameter"] = inputs.Tls?.Ca ?? "",
            ["tlsCertParameter"] = inputs.Tls?.Certificate ?? "",
            ["tlsKeyParameter"] = inputs.Tls?.PrivateKey ?? "",
            ["requireSsl"] = inputs.Tls is not null ? " REQUIRE SSL" : "",
            ["monitoring"] = inputs.Monitoring is not null,
            ["agentConfig"] = Indent(agent, 6),
            ["agentConfigPath"] = PrometheusAgentRenderer.ConfigPath,
            ["textfileDirectory"] = PrometheusAgentRenderer.TextfileDirectory,
            ["nodeExporterPort"] = PrometheusAgentRenderer.NodeExporterPort,
            ["tokenFile"] = PrometheusAgentRenderer.TokenFile,
            ["galera"] = inputs.Galera is not null,
            ["galeraFirstNode"] = inputs.Galera?.FirstNode == true ? "1" : "0",
            ["galeraBootstrapRecord"] = inputs.Galera?.BootstrapRecord ?? "",
            ["galeraUnclaimed"] = GaleraStart.Unclaimed,
        };
        return new RenderedFile($"{host.Name}/cloud-init.yaml", renderer.Render(Template, view), Template);
    }

    // The my.cnf goes into a YAML literal block, so every line is indented to the block's level.
    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join('\n', text.TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? "" : pad + line));
    }
}
