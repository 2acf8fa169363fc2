using System.Text.Json;
using System.Text.Json.Serialization;
using HaInfra.Operations.Json;

namespace HaInfra.Operations.Local;

/// <summary>What the local target remembers between runs: which port each host got. Never holds secrets.</summary>
public sealed class LocalState
{
    private static readonly JsonSerializerOptions Json = OperationsJson.For(new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    public string Stack { get; set; } = "";

    public SortedDictionary<string, LocalHostState> Hosts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Loopback port of the local backup storage server (s3rver or azurite), once one was started.</summary>
    public int? StoragePort { get; set; }

    /// <summary>With hainfra:local.siteNamespaces: each site's subnet number N (its servers are 10.254.N.2).</summary>
    public SortedDictionary<string, int> SiteSubnets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Loopback port of the writer endpoint (HAProxy): writes reach the live primary only.</summary>
    public int? WriterPort { get; set; }

    /// <summary>Loopback port of the reader endpoint: reads spread over the replicas.</summary>
    public int? ReaderPort { get; set; }

    /// <summary>local up --monitoring was asked for once: exporters and Prometheus run with the stack from then on.</summary>
    public bool Monitoring { get; set; }

    /// <summary>method: galera with an arbitrator: the loopback port garbd listens on.</summary>
    public int? ArbitratorPort { get; set; }

    /// <summary>Loopback port of the local Prometheus (with <see cref="Monitoring"/>).</summary>
    public int? PrometheusPort { get; set; }

    public static LocalState? Load(LocalPaths paths) =>
        File.Exists(paths.StateFile) ? JsonSerializer.Deserialize(File.ReadAllText(paths.StateFile), OperationsJson.Info<LocalState>(Json)) : null;

    public void Save(LocalPaths paths)
    {
        Directory.CreateDirectory(paths.Root);
        var temp = paths.StateFile + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, OperationsJson.Info<LocalState>(Json)));
        File.Move(temp, paths.StateFile, overwrite: true);
    }
}

public sealed class LocalHostState
{
    public int Port { get; set; }

    /// <summary>Loopback ports of this host's prometheus-mysqld-exporter and prometheus-node-exporter (with monitoring).</summary>
    public int? MysqldExporterPort { get; set; }

    public int? NodeExporterPort { get; set; }

    /// <summary>method: galera: this node's group communication port; IST listens on the next port, SST on the one after.</summary>
    public int? GaleraPort { get; set; }
}
