namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Logical resource names. Host resources are "&lt;host&gt;_&lt;part&gt;" and shared ones "&lt;part&gt;_&lt;region or zone&gt;": host
/// names are DNS labels (no '_'), so the two can never collide, and no name holds '.', which would end a ${…} root.
/// </summary>
internal static class AwsNames
{
    public static string Provider(string region) => $"aws_{region}";

    public static string Host(string host, string part) => $"{host}_{part}";

    public static string Regional(string part, string region) => $"{part}_{region}";

    /// <summary>SSM parameter paths, under one prefix per stack.</summary>
    public static string Parameter(string stack, string path) => $"/hainfra/{stack}/{path}";
}
