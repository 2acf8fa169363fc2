using System.Net.Sockets;
using System.Text;

namespace HaInfra.Operations.Endpoint;

/// <summary>HAProxy's runtime API over its admin socket: one connection per batch of ';'-separated commands.</summary>
public sealed class HaproxyAdmin(string socket)
{
    public async Task<string> SendAsync(string commands, CancellationToken ct)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
        await client.SendAsync(Encoding.ASCII.GetBytes(commands + "\n"), ct);
        var reply = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await client.ReceiveAsync(buffer, ct)) > 0)
        {
            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return reply.ToString();
    }

    /// <summary>Every server of <paramref name="backend"/> with its status (UP, DOWN, MAINT, ...) from `show stat`.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ServerStatusAsync(string backend, CancellationToken ct)
    {
        var csv = (await SendAsync("show stat", ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = csv.First(l => l.StartsWith("# ", StringComparison.Ordinal))[2..].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (proxy, server, status) = (Column("pxname"), Column("svname"), Column("status"));
        return csv.Where(l => !l.StartsWith('#')).Select(l => l.Split(','))
            .Where(f => f.Length > status && f[proxy] == backend && f[server] is not ("FRONTEND" or "BACKEND"))
            .ToDictionary(f => f[server], f => f[status], StringComparer.Ordinal);
    }
}
