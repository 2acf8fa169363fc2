using HaInfra.Model.Backups;
using HaInfra.Operations.Logging;

namespace HaInfra.Operations.Backups;

/// <summary>Applies <see cref="RetentionPlan"/>: without force it only says what it would delete.</summary>
public sealed class BackupPruner
{
    private readonly Rclone _storage;
    private readonly IStepLog _log;

    public BackupPruner(Rclone storage, IStepLog log)
    {
        _storage = storage;
        _log = log;
    }

    public async Task<IReadOnlyList<Deletion>> PruneAsync(BackupRetention retention, DateTimeOffset now, bool force, CancellationToken ct)
    {
        var catalog = await BackupCatalog.LoadAsync(_storage, ct);
        var plan = RetentionPlan.Plan(catalog, retention, now);
        foreach (var deletion in plan)
        {
            if (force)
            {
                foreach (var key in deletion.Keys)
                {
                    await _storage.DeleteAsync(key, ct);
                }
            }

            _log.Step(force ? "deleted" : "would delete", $"{deletion.What}: {deletion.Why}");
        }

        if (plan.Count == 0)
        {
            _log.Step("prune", $"nothing to delete: {catalog.Backups.Count} backups and {catalog.Binlogs.Count} binlog segments are all within retention or still needed");
        }
        else if (!force)
        {
            _log.Step("prune", $"{plan.Count} objects would be deleted; nothing was. Run again with --force to delete them.");
        }

        return plan;
    }
}
