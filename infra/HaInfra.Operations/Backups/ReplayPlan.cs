using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Backups;

/// <summary>
/// Which archived bytes a point-in-time restore applies: from the first transaction after the base backup's GTID
/// to the last one before the target, in whole transactions. <see cref="Files"/> run from the segment holding
/// the start to the one holding the cut; the last is applied only up to <see cref="CutOffset"/> when it is set.
/// </summary>
public sealed record ReplayPlan(
    IReadOnlyList<string> Files, long StartOffset, long? CutOffset, IReadOnlyList<Gtid> LastPerDomain, int Transactions, IReadOnlySet<uint> ServerIds)
{
    /// <summary>A server_id for the server applying the plan that none of its transactions carries (a replica skips its own id's events).</summary>
    public uint ApplierServerId => Enumerable.Range(1, ServerIds.Count + 1).Select(i => (uint)i).First(id => !ServerIds.Contains(id));

    /// <summary>The GTID position the server holds once the plan is applied (every domain's last transaction).</summary>
    public string Position => string.Join(",", LastPerDomain);

    /// <summary>The plan for <paramref name="files"/> (archived segments in order), or null when no transaction lies between the base and the target.</summary>
    public static ReplayPlan? Make(IReadOnlyList<string> files, Gtid baseGtid, RestoreTarget target)
    {
        int? startFile = null;
        long startOffset = 0;
        var last = new Dictionary<uint, Gtid>();
        var transactions = 0;
        var serverIds = new HashSet<uint>();
        for (var i = 0; i < files.Count; i++)
        {
            foreach (var at in BinlogFile.GtidEvents(files[i]))
            {
                if (startFile is null && (at.Gtid.Domain != baseGtid.Domain || at.Gtid.Sequence <= baseGtid.Sequence))
                {
                    continue;
                }

                if (Beyond(at, target))
                {
                    return startFile is { } first ? new ReplayPlan(files.Skip(first).Take(i - first + 1).ToList(), startOffset, at.Offset, Ordered(last), transactions, serverIds) : null;
                }

                if (startFile is null)
                {
                    (startFile, startOffset) = (i, at.Offset);
                }

                last[at.Gtid.Domain] = at.Gtid;
                serverIds.Add(at.Gtid.ServerId);
                transactions++;
            }
        }

        return startFile is { } from ? new ReplayPlan(files.Skip(from).ToList(), startOffset, null, Ordered(last), transactions, serverIds) : null;
    }

    /// <summary>A time target stops before the first transaction stamped at or after it; a GTID target after that GTID.</summary>
    private static bool Beyond(GtidEventAt at, RestoreTarget target) => target.Time is { } time
        ? at.Time >= time
        : at.Gtid.Domain == target.Gtid!.Value.Domain && at.Gtid.Sequence > target.Gtid.Value.Sequence;

    private static List<Gtid> Ordered(Dictionary<uint, Gtid> last) => [.. last.Values.OrderBy(g => g.Domain)];
}
