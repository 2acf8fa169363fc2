using System.Globalization;

namespace HaInfra.Operations.Local;

/// <summary>
/// What an agent's binlog spool (SOURCE/HISTORY/FILE under its state directory) still holds unstored, read the way
/// the agent's `binlog-upload` reads it: a segment is stored when its upload marker (.FILE.uploaded) holds its size.
/// </summary>
public static class ArchiveSpool
{
    /// <summary>
    /// The spooled segments ("SOURCE/HISTORY/FILE") without an upload marker of their current size, except the newest
    /// file of <paramref name="livePrimary"/>'s newest history: `binlog-upload` holds that one back as the stream's
    /// open file, and the live primary still has it, so the backup host's archive streams it again.
    /// </summary>
    public static List<string> Unstored(string spool, string livePrimary)
    {
        if (!Directory.Exists(spool))
        {
            return [];
        }

        var open = OpenSegment(spool, livePrimary);
        return [.. Directory.EnumerateFiles(spool, "*", SearchOption.AllDirectories)
            .Where(f => IsSegment(f) && f != open && !IsStored(f))
            .Select(f => Path.GetRelativePath(spool, f))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The file `binlog-upload` treats as open: the newest segment of the primary's newest history, if any.</summary>
    public static string? OpenSegment(string spool, string livePrimary)
    {
        var source = Path.Combine(spool, livePrimary);
        var history = Directory.Exists(source) ? Directory.GetDirectories(source).Max(StringComparer.Ordinal) : null;
        return history is null ? null : Directory.GetFiles(history).Where(IsSegment).Max(StringComparer.Ordinal);
    }

    // Binlog files end in their number (mysql-bin.000012); markers and the agent's own files start with a dot.
    private static bool IsSegment(string file) =>
        !Path.GetFileName(file).StartsWith('.') && char.IsAsciiDigit(Path.GetExtension(file).LastOrDefault());

    private static bool IsStored(string segment)
    {
        var marker = Path.Combine(Path.GetDirectoryName(segment)!, $".{Path.GetFileName(segment)}.uploaded");
        return File.Exists(marker) && File.ReadAllText(marker).Trim() == new FileInfo(segment).Length.ToString(CultureInfo.InvariantCulture);
    }
}
