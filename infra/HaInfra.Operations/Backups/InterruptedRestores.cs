using HaInfra.Operations.Logging;

namespace HaInfra.Operations.Backups;

/// <summary>
/// Restores that never finished: a restore writes <see cref="DoneMarker"/> into its directory at its end, so a
/// directory without it, under the local target's restores/, was left by a killed restore. Its server, when the kill
/// came after the server started, still runs and is stopped here; the directory is kept and named (nothing is thrown
/// away silently), for the operator to delete.
/// </summary>
public static class InterruptedRestores
{
    public const string DoneMarker = "restore.done";

    /// <summary>The name pattern of the restore directories the local target creates by default.</summary>
    public const string Prefix = "restore-";

    public static async Task MarkDoneAsync(string dir, string description, CancellationToken ct) =>
        await File.WriteAllTextAsync(Path.Combine(dir, DoneMarker), description + "\n", ct);

    public static async Task StopAsync(string root, IStepLog log, CancellationToken ct)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(root, Prefix + "*").Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, DoneMarker)))
            {
                continue;
            }

            var pid = await ScratchServer.StopLeftoverAsync(dir, ct);
            log.Warn($"an interrupted restore left {dir}{(pid is null ? "" : $"; its server (pid {pid}) was stopped")}; it is incomplete and kept: delete it when you no longer need it");
        }
    }
}
