namespace HaInfra.Cli;

/// <summary>
/// File-system errors in words. The CLI is built with UseSystemResourceKeys (a faster start), so the runtime's own
/// messages are resource keys with their arguments ("IO_FileNotFound_FileName, /x"); the common ones are spelled out.
/// </summary>
public static class IoErrors
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["IO_FileNotFound_FileName"] = "no such file",
        ["IO_FileNotFound"] = "no such file",
        ["IO_PathNotFound_Path"] = "no such directory",
        ["IO_PathNotFound_NoPathName"] = "no such directory",
        ["UnauthorizedAccess_IODenied_Path"] = "permission denied",
        ["UnauthorizedAccess_IODenied_NoPathName"] = "permission denied",
        ["IO_FileExists_Name"] = "already exists",
        ["IO_PathTooLong_Path"] = "path too long",
        ["IO_DiskFull_Path_AllocationSize"] = "no space left on the device",
    };

    public static string Describe(Exception e)
    {
        var parts = e.Message.Split(", ", 2);
        return Words.TryGetValue(parts[0], out var words)
            ? parts.Length > 1 ? $"{parts[1]}: {words}" : words
            : e.Message;
    }
}
