using System.Globalization;
using System.Text;
using HaInfra.Model;

namespace HaInfra.Operations.Local;

/// <summary>One option the local target sets differently from the rendered my.cnf, and why.</summary>
public sealed record Override(string Option, string Value, string Why);

/// <summary>
/// local.cnf: includes the host's rendered my.cnf unchanged, then overrides only what must differ on one
/// machine — paths, the port, memory sizes and (as root) the process user. Later options win in MariaDB
/// option files, so everything else (durability, GTID, semi-sync, read_only, TLS policy) is the cloud's.
/// </summary>
public static class LocalOverlay
{
    public const int LocalRedoLogMb = 48;
    public const int LocalMaxConnections = 100;

    /// <param name="address">127.0.0.1, or the host's address in its site's network namespace.</param>
    public static IReadOnlyList<Override> For(Topology topology, HostPaths host, LocalPaths paths, int port, bool runningAsRoot, string address = "127.0.0.1")
    {
        var overrides = new List<Override>
        {
            new("port", port.ToString(CultureInfo.InvariantCulture), "each local host has its own loopback port"),
            address == "127.0.0.1"
                ? new("bind_address", address, "local servers listen on loopback only")
                : new("bind_address", address, "its site's network namespace: the only address other sites reach it at"),
            new("socket", host.Socket, "path"),
            new("pid_file", host.PidFile, "path"),
            new("datadir", host.DataDir, "path"),
            new("log_error", host.ErrorLog, "path"),
            new("tmpdir", host.TmpDir, "path"),
            new("innodb_buffer_pool_size", $"{topology.Local.BufferPoolMb}M", "memory: many servers share this machine"),
            new("innodb_log_file_size", $"{LocalRedoLogMb}M", "memory and disk: small redo log for a drill server"),
            new("max_connections", LocalMaxConnections.ToString(CultureInfo.InvariantCulture), "memory: per-connection buffers"),
        };
        if (topology.Tls)
        {
            overrides.Add(new("ssl_ca", Path.Combine(paths.TlsDir, TlsFiles.CaFile), "path: the local target's own CA"));
            overrides.Add(new("ssl_cert", Path.Combine(paths.TlsDir, TlsFiles.ServerCertFile), "path"));
            overrides.Add(new("ssl_key", Path.Combine(paths.TlsDir, TlsFiles.ServerKeyFile), "path"));
        }

        if (runningAsRoot)
        {
            overrides.Add(new("user", "root", "the local target runs as root; mariadbd refuses root without it"));
        }

        return overrides;
    }

    public static string Render(string hostName, string stack, HostPaths host, IReadOnlyList<Override> overrides)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Local target overlay for host {hostName} of stack {stack}, written by HaInfra.\n");
        text.Append("# The rendered my.cnf comes first, unchanged; the options below override only paths, ports and memory sizes.\n");
        text.Append(CultureInfo.InvariantCulture, $"!include {host.RenderedCnf}\n\n[mysqld]\n");
        foreach (var o in overrides)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {o.Why}\n{o.Option} = {o.Value}\n");
        }

        return text.ToString();
    }
}
