namespace HaInfra.Synthesis.Common;

/// <summary>
/// Logical resource names, the same on every cloud. Host resources are "&lt;host&gt;_&lt;part&gt;" and shared ones
/// "&lt;part&gt;_&lt;region, zone or site&gt;": host names are DNS labels (no '_'), so the two can never collide, and no
/// name holds '.', which would end a ${…} root.
/// </summary>
internal static class Names
{
    public static string Host(string host, string part) => $"{host}_{part}";

    public static string Regional(string part, string region) => $"{part}_{region}";
}
