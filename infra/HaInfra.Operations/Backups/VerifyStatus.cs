using System.Globalization;
using System.Text.Json.Nodes;

namespace HaInfra.Operations.Backups;

/// <summary>
/// The outcome of restore verifications, kept in the backup store itself (status/restore-verify.json) because
/// `backup verify` runs on an operator's machine while alerts are fed from the hosts: the backup agent mirrors this
/// object into its textfile metrics (hainfra_restore_verify_last_{success,failure}_timestamp_seconds). Not a backup:
/// the catalog and prune leave everything under status/ alone.
/// </summary>
public static class VerifyStatus
{
    public const string Prefix = HaInfra.Model.Backups.BackupStatusObjects.Prefix;
    public const string Key = HaInfra.Model.Backups.BackupStatusObjects.RestoreVerify;

    /// <summary>Records one verification's end, keeping the other outcome's last time.</summary>
    public static async Task RecordAsync(Rclone storage, bool success, string backupId, DateTimeOffset at, CancellationToken ct)
    {
        var status = await ReadAsync(storage, ct) ?? new JsonObject();
        var field = success ? "lastSuccess" : "lastFailure";
        status[field] = at.ToUnixTimeSeconds();
        status[field + "Backup"] = backupId;
        var file = Path.Combine(Path.GetTempPath(), $"hainfra-verify-status-{Environment.ProcessId}.json");
        try
        {
            await File.WriteAllTextAsync(file, status.ToJsonString() + "\n", ct);
            await storage.UploadAsync(file, Key, ct);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<JsonObject?> ReadAsync(Rclone storage, CancellationToken ct)
    {
        var existing = await storage.ListAsync(Prefix, ct);
        if (!existing.Any(o => o.Key == Key))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(await storage.ReadTextAsync(Key, ct)) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // A damaged status object is replaced by the next verification; it holds nothing a backup needs.
            return null;
        }
    }

    public static string Describe(long? epochSeconds) => epochSeconds is { } s
        ? DateTimeOffset.FromUnixTimeSeconds(s).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : "never";
}
