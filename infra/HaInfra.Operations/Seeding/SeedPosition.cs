using System.Text;
using System.Text.RegularExpressions;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Seeding;

/// <summary>
/// Reads the GTID a seed was taken at: from mariabackup's xtrabackup_binlog_info ("file pos gtid"), or from a
/// mariadb-dump --gtid --master-data=2 stream ("-- SET GLOBAL gtid_slave_pos='…';", which MariaDB 10.11 writes at
/// the end of the dump and older versions near the top). An empty GTID is refused:
/// a replica started with an empty position replays the whole binlog on top of the seeded data.
/// </summary>
public static partial class SeedPosition
{
    public static GtidPosition FromBinlogInfo(string text, string source)
    {
        var fields = text.Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var gtid = fields.Length >= 3 ? string.Join(",", fields.Skip(2)) : "";
        return Require(gtid, source);
    }

    public static GtidPosition FromDump(byte[] head, byte[] tail, string source)
    {
        var match = DumpGtid().Match(Encoding.UTF8.GetString(tail));
        if (!match.Success)
        {
            match = DumpGtid().Match(Encoding.UTF8.GetString(head));
        }

        return Require(match.Success ? match.Groups[1].Value : "", source);
    }

    private static GtidPosition Require(string gtid, string source)
    {
        if (!GtidPosition.TryParse(gtid, out var position) || position.IsEmpty)
        {
            throw new OperationFailedException(
                $"the seed taken from {source} carries no GTID position ('{gtid}'); starting replication from it would replay the whole binlog on top of the copy.",
                "make sure the donor has binary logging with GTIDs (log_bin, gtid_strict_mode) and has written at least one transaction, then seed again.");
        }

        return position;
    }

    [GeneratedRegex(@"SET GLOBAL gtid_slave_pos\s*=\s*'([^']*)'")]
    private static partial Regex DumpGtid();
}
