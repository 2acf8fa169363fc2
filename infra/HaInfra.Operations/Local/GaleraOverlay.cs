using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Galera;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local overrides of a Galera node: on one machine every node needs its own group communication, IST and SST
/// ports, so the cluster address lists loopback ports instead of the hosts' DNS names; and the SST account is the
/// OS user this machine runs the servers as. Everything else of the rendered wsrep section stays as a cloud host has it.
/// </summary>
internal static class GaleraOverlay
{
    /// <summary>gcache per node here: many servers share this machine's disk; still holds minutes of drill writes for IST.</summary>
    public const int LocalGcacheMb = 128;

    /// <param name="tlsDir">Where the local CA and server certificate are when the stack has hainfra:tls (group
    /// communication and IST then run over TLS, as on a cloud host, with this machine's files), else null.</param>
    public static IReadOnlyList<Override> For(Topology topology, Host host, LocalState state, Func<Host, string> addressOf, bool runningAsRoot, string? tlsDir)
    {
        if (!GaleraCluster.IsNode(topology, host) || state.Hosts.GetValueOrDefault(host.Name)?.GaleraPort is not { } gcomm)
        {
            return [];
        }

        var address = addressOf(host);
        return
        [
            new("wsrep_cluster_address", ClusterAddress(topology, state, addressOf), "each node's group communication port on this machine"),
            new("wsrep_node_address", address, "the node's local address"),
            new("wsrep_node_incoming_address", $"{address}:{P(state.Hosts[host.Name].Port)}", "where clients reach the node here (shown in wsrep_incoming_addresses)"),
            new("wsrep_provider_options", $"\"gmcast.listen_addr=tcp://{address}:{P(gcomm)}; ist.recv_addr={address}:{P(gcomm + 1)}; gcache.size={LocalGcacheMb}M{SslOptions(tlsDir)}\"",
                "ports: group communication and IST of this node; disk: a smaller gcache" + (tlsDir is null ? "" : "; paths: the local certificate files")),
            new("wsrep_sst_receive_address", $"{address}:{P(gcomm + 2)}", "ports: the SST receiver of this node"),
            // mariabackup runs as the server's OS user and logs in as it over the socket (unix_socket): no password.
            new("wsrep_sst_auth", $"{(runningAsRoot ? "root" : Environment.UserName)}:", "the OS user the local servers run as (unix_socket login, no password)"),
        ];
    }

    /// <summary>gcomm://host:port,… of every node that has its ports here: whom a node (or garbd) contacts to join.</summary>
    public static string ClusterAddress(Topology topology, LocalState state, Func<Host, string> addressOf) =>
        "gcomm://" + string.Join(",", GaleraCluster.Nodes(topology)
            .Where(n => state.Hosts.GetValueOrDefault(n.Name)?.GaleraPort is not null)
            .Select(n => $"{addressOf(n)}:{P(state.Hosts[n.Name].GaleraPort!.Value)}"));

    /// <summary>"; socket.ssl_key=…" for the provider options of a node or garbd when the stack has TLS, else "".</summary>
    public static string SslOptions(string? tlsDir) => tlsDir is null ? "" :
        $"; socket.ssl_key={Path.Combine(tlsDir, TlsFiles.ServerKeyFile)}; socket.ssl_cert={Path.Combine(tlsDir, TlsFiles.ServerCertFile)}; socket.ssl_ca={Path.Combine(tlsDir, TlsFiles.CaFile)}";

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);
}
