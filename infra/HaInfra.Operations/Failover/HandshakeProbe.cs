using System.Net.Sockets;

namespace HaInfra.Operations.Failover;

/// <summary>
/// Is the server alive where clients reach it? A TCP connection to its address and the server's greeting packet,
/// within a timeout: no account needed, and it tells the three cases apart the way a client sees them — refused
/// (dead), silent (hung, or cut off by the network), greeting (alive, even if it then refuses a login).
/// </summary>
public static class HandshakeProbe
{
    public static async Task<bool> AliveAsync(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port, limit.Token);
            var header = new byte[5];
            var read = 0;
            while (read < header.Length)
            {
                var n = await socket.ReceiveAsync(header.AsMemory(read), limit.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            // 3-byte length, sequence 0, then protocol version 10 (a greeting) or 0xFF (an error packet: alive, refusing).
            return header[3] == 0 && header[4] is 10 or 0xFF;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
