using System.Text.RegularExpressions;

namespace HaInfra.Model;

/// <summary>Names that become DNS records, tags and file names: lower-case RFC 1123 labels.</summary>
public static partial class DnsLabel
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex Pattern();
}
