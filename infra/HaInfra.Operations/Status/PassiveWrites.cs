using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Status;

/// <summary>
/// Writes that reached the active through the passive of an active-passive pair: transactions the passive wrote
/// itself (its server_id) since the current term began. With circular replication such a write does not diverge — it
/// flows to the active and on to every replica — but a client is writing to the wrong server, so it is reported.
/// </summary>
/// <param name="Count">How many transactions (sequence numbers in the passive's own domain past the term's start).</param>
/// <param name="Last">The newest of them, as the active logged it.</param>
public sealed record PassiveWrites(string Passive, string Active, long Count, Gtid Last, long Term)
{
    public string Describe =>
        $"writes arrived through the passive {Passive}: {Count.ToString(CultureInfo.InvariantCulture)} transaction(s) written on {Passive} itself since term {Term.ToString(CultureInfo.InvariantCulture)} " +
        $"(last GTID {Last}, in its own domain {Last.Domain.ToString(CultureInfo.InvariantCulture)}), replicated to the active {Active}";

    public string Reconcile =>
        $"a client writes to {Passive} directly (with a privilege that passes read_only): find it ({Passive}'s general or binary log, " +
        $"mariadb-binlog --database … on its GTIDs) and point its connection string at the writer endpoint. The data is already on both " +
        $"sides, so nothing is copied; check that those rows did not conflict with writes on {Active} (auto-increment offsets keep new keys apart).";

    /// <summary>
    /// Pure: the passive's own transactions in the active's binlog state past the state recorded when the term began
    /// (<see cref="TermRecord.ForkGtid"/>). Null when there are none, or the stack is not an active-passive pair, or
    /// the live primary is outside the pair (after a DR promotion).
    /// </summary>
    public static PassiveWrites? Find(Topology live, GtidPosition activeBinlogState, TermRecord? term)
    {
        var active = live.Primary;
        if (ActivePassivePair.PartnerOf(live, active.Name) is not { } passive)
        {
            return null;
        }

        var baseline = GtidPosition.TryParse(term?.ForkGtid, out var fork) ? fork : GtidPosition.Empty;
        var count = 0L;
        Gtid? last = null;
        foreach (var gtid in activeBinlogState.Gtids.Where(g => g.ServerId == passive.ServerId))
        {
            var before = baseline.Gtids.Where(b => b.Domain == gtid.Domain && b.ServerId == gtid.ServerId).Select(b => b.Sequence).DefaultIfEmpty(0UL).Max();
            if (gtid.Sequence > before)
            {
                // Sequence numbers in a writer's own domain are its own, one per transaction.
                count += (long)(gtid.Sequence - before);
                last = last is { } l && l.Sequence >= gtid.Sequence ? l : gtid;
            }
        }

        return last is { } newest ? new PassiveWrites(passive.Name, active.Name, count, newest, term?.Term ?? 0) : null;
    }
}
