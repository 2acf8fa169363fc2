using System.Text.Json.Nodes;

namespace HaInfra.Model.Config;

/// <summary>Reads hainfra:backup into its DTO: shape and types only.</summary>
internal static class BackupDtoReader
{
    public static BackupDto? Read(JsonNode? node, NodeReader read)
    {
        const string path = ConfigKeys.Backup;
        var backup = read.Map(node, path, ConfigKeys.BackupKeys);
        if (backup is null)
        {
            return null;
        }

        var schedules = read.Map(backup["schedules"], $"{path}.schedules", ConfigKeys.BackupScheduleKeys);
        var retention = read.Map(backup["retention"], $"{path}.retention", ConfigKeys.BackupRetentionKeys);
        var lifecycle = read.Map(backup["lifecycle"], $"{path}.lifecycle", ConfigKeys.BackupLifecycleKeys);
        var objectives = read.Map(backup["objectives"], $"{path}.objectives", ConfigKeys.BackupObjectiveKeys);
        return new BackupDto(
            read.Flag(backup["enabled"], $"{path}.enabled"),
            read.Text(backup["destination"], $"{path}.destination"),
            read.Text(backup["takenFrom"], $"{path}.takenFrom"),
            read.Text(backup["host"], $"{path}.host"),
            schedules is null ? null : new BackupSchedulesDto(
                read.Text(schedules["full"], $"{path}.schedules.full"),
                read.Text(schedules["incremental"], $"{path}.schedules.incremental"),
                read.Text(schedules["logical"], $"{path}.schedules.logical")),
            retention is null ? null : new BackupRetentionDto(
                read.Integer(retention["fullDays"], $"{path}.retention.fullDays"),
                read.Integer(retention["incrementalDays"], $"{path}.retention.incrementalDays"),
                read.Integer(retention["logicalDays"], $"{path}.retention.logicalDays"),
                read.Integer(retention["binlogDays"], $"{path}.retention.binlogDays")),
            lifecycle is null ? null : new BackupLifecycleDto(
                read.Integer(lifecycle["fullToInfrequentAccessDays"], $"{path}.lifecycle.fullToInfrequentAccessDays"),
                read.Integer(lifecycle["fullToArchiveDays"], $"{path}.lifecycle.fullToArchiveDays")),
            read.Integer(backup["compressionLevel"], $"{path}.compressionLevel"),
            read.Flag(backup["binlogArchive"], $"{path}.binlogArchive"),
            read.TextList(backup["recipients"], $"{path}.recipients"),
            objectives is null ? null : new BackupObjectivesDto(
                read.Integer(objectives["rpoSeconds"], $"{path}.objectives.rpoSeconds"),
                read.Integer(objectives["rtoMinutes"], $"{path}.objectives.rtoMinutes")));
    }
}
