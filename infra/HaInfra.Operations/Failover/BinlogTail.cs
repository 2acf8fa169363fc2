using System.Text.RegularExpressions;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Failover;

/// <summary>
/// The transactions a returning server wrote that the live primary's history lacks, and where that history forked.
/// Pure: computed from the two binlog states, so every case is unit-tested.
/// </summary>
/// <param name="Errant">The server's binlog-state entries beyond the primary's.</param>
/// <param name="Start">Per domain, the last GTID both share: mariadb-binlog reads the tail from after it.</param>
/// <param name="RewoundState">The server's gtid_binlog_state once the tail is rewound.</param>
public sealed partial record BinlogTail(GtidPosition Errant, GtidPosition Start, GtidPosition RewoundState)
{
    public bool IsEmpty => Errant.IsEmpty;

    /// <summary>Null when the fork cannot be placed (the primary holds no transaction of that server in that domain).</summary>
    public static BinlogTail? Between(GtidPosition returning, GtidPosition primaryState)
    {
        var errant = returning.NotIn(primaryState);
        var start = new List<Gtid>();
        foreach (var ours in errant.Gtids)
        {
            var shared = primaryState.Gtids.Where(t => t.Domain == ours.Domain && t.ServerId == ours.ServerId).ToList();
            if (shared.Count == 0)
            {
                return null;
            }

            start.Add(shared.MaxBy(t => t.Sequence));
        }

        var rewound = returning.Gtids.Where(g => !errant.Gtids.Contains(g)).Concat(start);
        return new BinlogTail(errant, GtidPosition.Of([.. start]).PerDomain(), GtidPosition.Of([.. rewound]));
    }

    /// <summary>
    /// Statements in a decoded tail (mariadb-binlog --verbose) that flashback cannot reverse: anything logged as a
    /// statement other than transaction control, i.e. DDL. Row events (INSERT/UPDATE/DELETE images) are reversible.
    /// </summary>
    public static IReadOnlyList<string> Irreversible(string decoded)
    {
        var found = new List<string>();
        var lines = decoded.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!QueryEvent().IsMatch(lines[i]))
            {
                continue;
            }

            // The statement follows the event header, after any SET lines the tool prints for the session.
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith("# at ", StringComparison.Ordinal); j++)
            {
                var text = lines[j].Trim().TrimEnd(';').Trim();
                if (text.Length == 0 || text.StartsWith("SET ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("/*!", StringComparison.Ordinal)
                    || text.StartsWith('#') || text.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || text.Equals("COMMIT", StringComparison.OrdinalIgnoreCase)
                    || text.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase) || text.StartsWith("use ", StringComparison.OrdinalIgnoreCase) || text == "DELIMITER")
                {
                    continue;
                }

                found.Add(text.Length > 120 ? text[..120] + "..." : text);
                break;
            }
        }

        return found;
    }

    [GeneratedRegex(@"^#\d{6}\s+\d{1,2}:\d{2}:\d{2} server id \d+\s+end_log_pos \d+.*\sQuery\s")]
    private static partial Regex QueryEvent();
}
