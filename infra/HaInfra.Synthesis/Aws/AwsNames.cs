using HaInfra.Synthesis.Common;

namespace HaInfra.Synthesis.Aws;

/// <summary>Logical resource names (<see cref="Names"/>, shared with azure) and the aws-only ones: providers, SSM paths.</summary>
internal static class AwsNames
{
    public static string Provider(string region) => $"aws_{region}";

    public static string Host(string host, string part) => Names.Host(host, part);

    public static string Regional(string part, string region) => Names.Regional(part, region);

    /// <summary>SSM parameter paths, under one prefix per stack.</summary>
    public static string Parameter(string stack, string path) => $"/hainfra/{stack}/{path}";
}
