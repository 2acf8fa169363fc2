using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// The one thing the binlog archive's account may do besides reading binlogs: close the primary's open binlog
/// (hainfra.rotate_binlog, a definer procedure running FLUSH BINARY LOGS), so a quiet primary's last transactions are
/// uploaded within the stack's RPO instead of when the segment fills. On every server, like the accounts, with
/// binary logging off for the session: any server may become the primary the archive streams from.
/// </summary>
internal static class ArchiveRotation
{
    public const string Procedure = "hainfra.rotate_binlog";

    /// <summary>Returns true when it changed anything.</summary>
    public static async Task<bool> EnsureAsync(ISqlClient client, ReplicationAccount archive, IStepLog log, CancellationToken ct)
    {
        var who = $"'{archive.User}'@'{archive.HostPattern}'";
        var changes = new List<string>();
        await ReplicationAccountSetup.WithoutBinlogAsync(client, async () =>
        {
            var exists = await client.ScalarAsync(
                "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'hainfra' AND ROUTINE_NAME = 'rotate_binlog'", ct);
            if (exists == "0")
            {
                await client.ExecuteAsync("CREATE DATABASE IF NOT EXISTS hainfra", ct);
                await client.ExecuteAsync(
                    $"CREATE DEFINER = CURRENT_USER PROCEDURE {Procedure}() SQL SECURITY DEFINER " +
                    "COMMENT 'HaInfra: lets the binlog archive close a quiet primary''s open binlog (RPO bound)' FLUSH BINARY LOGS", ct);
                changes.Add($"{Procedure} created");
            }

            var grants = await ReplicationAccountSetup.GrantsAsync(client, who, ct);
            if (!grants.Contains("EXECUTE ON PROCEDURE `hainfra`.`rotate_binlog`", StringComparison.Ordinal))
            {
                await client.ExecuteAsync($"GRANT EXECUTE ON PROCEDURE {Procedure} TO {who}", ct);
                changes.Add($"EXECUTE on it granted to {who}");
            }
        }, ct);

        if (changes.Count > 0)
        {
            log.Step("account", $"{client.Server}: {string.Join(", ", changes)} (not binlogged)");
        }

        return changes.Count > 0;
    }
}
