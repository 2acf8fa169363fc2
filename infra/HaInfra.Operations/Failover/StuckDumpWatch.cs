using System.Globalization;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// Restarts the primary's semi-sync source side when MariaDB's semi-sync ack receiver has hung. Seen on 10.11.19 in
/// bench/reliability's same-city-loss (the semi-sync replica's site cut off, then healed), in 2 of about 8 runs: every
/// new binlog dump connection from that replica stopped in state 'starting', before its first event, and was replaced
/// by the replica's next attempt 8 s later (slave_net_timeout 6 s + connect retry 2 s), so it never caught up. Turning
/// the source side off and on restarted the ack receiver, and the replica caught up at once (tried by hand on the
/// stuck primary). The window between the two statements is asynchronous, as the semi-sync timeout already made it.
/// </summary>
public static class StuckDumpWatch
{
    /// <summary>A dump thread normally leaves 'starting' within milliseconds.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(3);

    /// <summary>What it did (for the monitor's log), or null when no dump connection was stuck.</summary>
    public static async Task<string?> CheckAsync(ISqlClient primary, CancellationToken ct)
    {
        var stuck = await primary.QueryAsync(
            "SELECT HOST, TIME FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump' AND STATE = 'starting' " +
            $"AND TIME >= {StuckAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}", ct);
        if (stuck.Count == 0)
        {
            return null;
        }

        var (flavor, version) = ServerDialects.Identify(await primary.ScalarAsync("SELECT @@version", ct) ?? "");
        var source = ServerDialects.For(flavor, version).SemiSyncSourceVariable;
        if (await primary.ScalarAsync($"SELECT @@{source}", ct) != "1")
        {
            return null;
        }

        await primary.ExecuteAsync($"SET GLOBAL {source} = OFF", ct);
        await primary.ExecuteAsync($"SET GLOBAL {source} = ON", ct);
        var who = string.Join(", ", stuck.Select(r => $"{r.Text("HOST")} ({r.Text("TIME")} s)"));
        return $"binlog dump connection(s) of {who} stuck before their first event (MariaDB's semi-sync ack receiver hung): semi-sync source side restarted on {primary.Server}";
    }
}
