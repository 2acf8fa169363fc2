using HaInfra.Operations;
using HaInfra.Operations.Processes;

namespace HaInfra.Cli;

/// <summary>
/// Keeps the native binary that ./hainfra runs in step with the checkout it was built from. scripts/build-cli writes
/// a stamp beside the binary (.build/cli/.sources): every source the build read, with the build's start as its mtime.
/// On every start the binary compares the checkout with it — a few hundred stat calls, well under a millisecond, where
/// the bash check it replaces cost more than the synth — and when a source changed, was added or was removed, it runs
/// scripts/build-cli, which rebuilds and runs the new binary with the same arguments. A binary without a stamp (tests,
/// cloud hosts) is never checked.
/// </summary>
public static class CheckoutBuild
{
    /// <summary>Set by scripts/build-cli for the run right after a build (never check twice).</summary>
    private const string CheckedVariable = "HAINFRA_BUILD_CHECKED";

    /// <summary>Set by scripts/build-cli: write the list of sources to this file and exit.</summary>
    private const string WriteStampVariable = "HAINFRA_WRITE_BUILD_STAMP";

    /// <summary>Set by scripts/build-cli after it took the build lock: exit 0 when fresh, 1 when stale.</summary>
    private const string CheckOnlyVariable = "HAINFRA_BUILD_CHECK";

    private static readonly string[] RootFiles = [
        "hainfra", "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", "scripts/build-cli",
        "policy/rules.json", // embedded in HaInfra.Synthesis
    ];

    private static readonly string[] Extensions = [".cs", ".csproj", ".props", ".targets", ".json"];

    /// <summary>Null to go on with the command; otherwise the exit code to return (a stamp was written, or a rebuild ran it).</summary>
    public static int? Intercept(string[] args) =>
        BuildRequest() ?? (CheckoutToCheck() is { } root && IsStale(root) ? Rebuild(root, args) : null);

    /// <summary>
    /// What scripts/build-cli asked this run to do instead of a command: write the stamp (exit 0), or only say whether
    /// the build is stale (exit 1) or fresh (exit 0). Null for an ordinary run.
    /// </summary>
    public static int? BuildRequest()
    {
        if (Environment.GetEnvironmentVariable(WriteStampVariable) is { Length: > 0 } stampFile)
        {
            WriteStamp(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(stampFile)!, "..", "..")), stampFile);
            return 0;
        }

        if (Environment.GetEnvironmentVariable(CheckOnlyVariable) == "1")
        {
            return CheckoutToCheck() is { } root && IsStale(root) ? 1 : 0;
        }

        return null;
    }

    /// <summary>The checkout this binary was built from, unless scripts/build-cli has just checked it; null when nothing is to be checked.</summary>
    public static string? CheckoutToCheck() => Environment.GetEnvironmentVariable(CheckedVariable) == "1" ? null : CheckoutRoot();

    /// <summary>Rebuilds the checkout's binary (scripts/build-cli), which then runs the command; returns its exit code.</summary>
    public static int Rebuild(string root, string[] args) =>
        ProcessRunner.RunOnTerminalAsync("bash", [Path.Combine(root, "scripts", "build-cli"), .. args], CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The checkout this binary was built from, when it runs as .build/cli/hainfra of a checkout (one with
    /// scripts/build-cli). Without a stamp there it is stale: a build that failed removed the stamp, and the binary
    /// left beside it is the previous one.
    /// </summary>
    private static string? CheckoutRoot()
    {
        var dir = Path.GetDirectoryName(Environment.ProcessPath);
        if (dir is null || Path.GetFileName(dir) != "cli" || Path.GetFileName(Path.GetDirectoryName(dir)) != ".build")
        {
            return null;
        }

        var root = Path.GetFullPath(Path.Combine(dir, "..", ".."));
        return File.Exists(Path.Combine(root, "scripts", "build-cli")) ? root : null;
    }

    /// <summary>Lists the checkout's sources into <paramref name="stampFile"/> (its mtime is set by scripts/build-cli).</summary>
    public static void WriteStamp(string root, string stampFile) => File.WriteAllLines(stampFile, Sources(root).Select(s => s.Path));

    /// <summary>Whether the build stamped in the checkout's .build/cli is older than its sources, or there is none.</summary>
    public static bool IsStale(string root)
    {
        var stamp = new FileInfo(Path.Combine(root, ".build", "cli", ".sources"));
        if (!stamp.Exists)
        {
            return true;
        }

        var built = stamp.LastWriteTimeUtc;
        var listed = File.ReadAllLines(stamp.FullName);
        var current = Sources(root);
        return listed.Length != current.Count
            || current.Where((source, i) => source.Path != listed[i] || source.Modified > built).Any();
    }

    /// <summary>
    /// Every file the CLI build reads, relative to the checkout, in a stable order (build outputs aside), with its
    /// modification time: one stat per file, taken by the enumeration (the check runs at every start).
    /// </summary>
    private static List<(string Path, DateTime Modified)> Sources(string root)
    {
        List<(string Path, DateTime Modified)> files =
            [.. RootFiles.Select(f => new FileInfo(Path.Combine(root, f))).Where(f => f.Exists).Select(f => (Path.GetRelativePath(root, f.FullName), f.LastWriteTimeUtc))];
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(Path.Combine(root, "infra"))]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo sub && entry.Name is not ("bin" or "obj"))
                {
                    pending.Push(sub);
                }
                else if (entry is FileInfo && Extensions.Contains(entry.Extension, StringComparer.Ordinal))
                {
                    files.Add((Path.GetRelativePath(root, entry.FullName), entry.LastWriteTimeUtc));
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
