using HaInfra.Model.Gtids;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Seeding;

/// <summary>
/// mariadb-dump --single-transaction --gtid from the donor into the target's running, empty server, loaded with
/// binary logging off for the session (or the target would log the load under its own server_id: errant GTIDs).
/// Slow, but it crosses versions and flavours.
/// </summary>
internal static class LogicalSeed
{
    public static CommandSpec Source(SeedTools tools, SeedSource donor) => new(tools.Dump,
    [
        "--user=root",
        $"--socket={donor.Socket}",
        "--all-databases",
        "--single-transaction",
        "--gtid",
        "--master-data=2",
        "--routines",
        "--events",
        "--triggers",
        "--hex-blob",
        "--quick",
        "--default-character-set=utf8mb4",
        // The target's replication position is set from the dump header, not loaded as table rows.
        "--ignore-table=mysql.gtid_slave_pos",
    ]);

    public static CommandSpec Sink(SeedTools tools, ISeedTarget target) => new(tools.Client,
    [
        "--user=root",
        $"--socket={target.Admin.Socket}",
        "--init-command=SET SESSION sql_log_bin = 0",
        "--max-allowed-packet=1G",
        "--default-character-set=utf8mb4",
    ]);

    public static async Task<(StreamPipe.Result Copy, GtidPosition Gtid)> CopyAsync(
        IHostRunner runner, SeedTools tools, SeedSource donor, ISeedTarget target, long estimate, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        var copy = await StreamPipe.RunAsync(runner, donor.Host, Source(tools, donor), target.Host, Sink(tools, target), "dump", estimate, progress, ct, captureEnds: true);
        return (copy, SeedPosition.FromDump(copy.Head, copy.Tail, $"{donor.Host} (mariadb-dump)"));
    }
}
