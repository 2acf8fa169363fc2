using HaInfra.Synthesis.Common;

namespace HaInfra.Synthesis.Azure;

/// <summary>Logical resource names (<see cref="Names"/>, shared with aws) and azure's own resource names.</summary>
internal static class AzureNames
{
    public const string Provider = "azure";

    public static string Host(string host, string part) => Names.Host(host, part);

    public static string Regional(string part, string region) => Names.Regional(part, region);

    /// <summary>The stack's name in lower-case letters and digits only (storage accounts allow nothing else), at most <paramref name="max"/> long.</summary>
    public static string Compact(string stack, int max)
    {
        var clean = new string([.. stack.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        return clean.Length <= max ? clean : clean[..max];
    }
}
