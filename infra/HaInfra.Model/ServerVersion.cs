using System.Globalization;

namespace HaInfra.Model;

/// <summary>A server version such as 10.11 or 8.0.36; a missing patch means "the series' current release".</summary>
public readonly record struct ServerVersion(int Major, int Minor, int? Patch) : IComparable<ServerVersion>
{
    public static bool TryParse(string? text, out ServerVersion version)
    {
        version = default;
        var parts = (text ?? "").Split('.');
        if (parts.Length is < 2 or > 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var numbers = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        version = new ServerVersion(numbers[0], numbers[1], numbers.Length == 3 ? numbers[2] : null);
        return true;
    }

    public static ServerVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a server version like 10.11 or 8.0.36");

    /// <summary>The series, e.g. 10.11 for 10.11.9.</summary>
    public ServerVersion Series => new(Major, Minor, null);

    public int CompareTo(ServerVersion other)
    {
        var byMajor = Major.CompareTo(other.Major);
        if (byMajor != 0)
        {
            return byMajor;
        }

        var byMinor = Minor.CompareTo(other.Minor);
        // A series without a patch stands for its newest release, so it sorts after any patch of it.
        return byMinor != 0 ? byMinor : (Patch ?? int.MaxValue).CompareTo(other.Patch ?? int.MaxValue);
    }

    public static bool operator <(ServerVersion a, ServerVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(ServerVersion a, ServerVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(ServerVersion a, ServerVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ServerVersion a, ServerVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => Patch is { } p ? $"{Major}.{Minor}.{p}" : $"{Major}.{Minor}";
}
