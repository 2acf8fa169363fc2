using System.Globalization;
using HaInfra.Model.Backups;

namespace HaInfra.Operations.Backups;

/// <summary>
/// A measured restore held against the policy's recovery time objective, so every verify and restore doubles as
/// an RTO drill: the figure is printed, and a restore slower than the objective is called out.
/// </summary>
public static class RecoveryTimeCheck
{
    public static (string Line, bool Met) Describe(TimeSpan restore, BackupObjectives objectives)
    {
        var objective = TimeSpan.FromMinutes(objectives.RtoMinutes);
        var seconds = restore.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return restore <= objective
            ? ($"recovery time: {seconds} s, within the {objectives.RtoMinutes} min objective (hainfra:backup.objectives.rtoMinutes).", true)
            : ($"warning: recovery time {seconds} s exceeds the {objectives.RtoMinutes} min objective (hainfra:backup.objectives.rtoMinutes). " +
               "Fix: take full backups more often (shorter incremental chains and binlog replays), restore on a larger host, or revise the objective.", false);
    }
}
