using System.Globalization;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Seeding;

/// <summary>
/// mariabackup streamed (xbstream) from the donor straight into the target's datadir, then prepared. The donor is
/// only read: BACKUP STAGE locks, no statement that reaches its binlog.
/// </summary>
internal static class PhysicalSeed
{
    public const string PrepareMemory = "512M";

    public static CommandSpec Source(SeedTools tools, SeedSource donor) => new(tools.Backup,
    [
        $"--defaults-file={donor.DefaultsFile}",
        "--backup",
        "--stream=xbstream",
        "--user=root",
        $"--socket={donor.Socket}",
        $"--target-dir={donor.TmpDir}",
        $"--parallel={Math.Max(2, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture)}",
    ]);

    public static CommandSpec Sink(SeedTools tools, ISeedTarget target) => new(tools.Mbstream, ["-x", "-C", target.DataDir]);

    public static CommandSpec Prepare(SeedTools tools, ISeedTarget target) =>
        new(tools.Backup, ["--prepare", $"--target-dir={target.DataDir}", $"--use-memory={PrepareMemory}"]);

    public static async Task<(StreamPipe.Result Copy, GtidPosition Gtid)> CopyAsync(
        IHostRunner runner, SeedTools tools, SeedSource donor, ISeedTarget target, long estimate, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(donor.TmpDir);
        var copy = await StreamPipe.RunAsync(runner, donor.Host, Source(tools, donor), target.Host, Sink(tools, target), "copy", estimate, progress, ct);
        await StreamPipe.RunToCompletionAsync(runner, target.Host, Prepare(tools, target), "mariabackup --prepare");
        var info = Path.Combine(target.DataDir, "xtrabackup_binlog_info");
        var text = File.Exists(info) ? await File.ReadAllTextAsync(info, ct) : "";
        return (copy, SeedPosition.FromBinlogInfo(text, $"{donor.Host} (xtrabackup_binlog_info)"));
    }
}
