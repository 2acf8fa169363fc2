using System.Text;

namespace HaInfra.Model;

/// <summary>
/// Derives a server_id from the host name alone, so adding, removing or reordering other hosts never
/// changes it. Six digits keep it readable; collisions are caught by validation (set serverId by hand).
/// </summary>
public static class ServerIds
{
    public const uint Max = uint.MaxValue;

    public static uint Derive(string hostName)
    {
        // FNV-1a, 32 bit: stable across runtimes, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(hostName))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return 1 + (hash % 999_999);
    }
}
