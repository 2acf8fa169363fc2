using System.Globalization;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Seeding;

/// <summary>Free space where a target's datadir will live, checked before any byte is copied.</summary>
public static class DiskSpace
{
    /// <summary>Bytes available to this user on the filesystem holding <paramref name="path"/> (df, so it follows mounts).</summary>
    public static long Available(string path)
    {
        var existing = path;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        var df = ProcessRunner.Run("df", "--output=avail", "-B1", existing);
        if (df.ExitCode != 0)
        {
            throw new OperationFailedException($"df could not tell the free space at {existing}: {df.StderrTail()}", "check that the path is on a mounted filesystem.");
        }

        var last = df.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim();
        return long.Parse(last, CultureInfo.InvariantCulture);
    }

    /// <summary>Fails with a clear message when the copy plus a reserve would not fit.</summary>
    public static void Require(string target, string path, long needed, long reserve)
    {
        var available = Available(path);
        if (available < needed + reserve)
        {
            throw new OperationFailedException(
                $"{target}: {SeedProgress.Size(available)} free at {path}, but the seed needs about {SeedProgress.Size(needed)} plus a reserve of {SeedProgress.Size(reserve)}. Nothing was copied.",
                "free space on that filesystem (or give the host a bigger data disk), then seed again.");
        }
    }
}
