using System.Net;
using System.Net.Sockets;

namespace HaInfra.Operations.Local;

/// <summary>Whether a loopback TCP port can be bound right now.</summary>
public static class PortCheck
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
