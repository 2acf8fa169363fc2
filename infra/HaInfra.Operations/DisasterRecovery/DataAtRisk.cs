using System.Globalization;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.DisasterRecovery;

/// <summary>What outlives the lost region of the primary's history, and where it was found (an archive, a reachable host).</summary>
/// <param name="LastCommit">When the newest of those transactions was committed on the primary (binlog timestamps: whole seconds).</param>
public sealed record KnownPosition(GtidPosition Position, DateTimeOffset? LastCommit, string Where);

/// <summary>Where a DR promotion learns what the lost primary had written beyond what the DR site received.</summary>
public interface IRecoveryEvidence
{
    /// <summary>What the binlog archive holds, one position per place it keeps segments; empty when the stack has none.</summary>
    Task<IReadOnlyList<KnownPosition>> ArchiveAsync(CancellationToken ct);

    /// <summary>When <paramref name="gtid"/> was committed on its primary, read from <paramref name="host"/>'s binlogs; null if not found.</summary>
    Task<DateTimeOffset?> CommitTimeAsync(string host, Gtid gtid, CancellationToken ct);
}

/// <summary>
/// The data a DR promotion gives up: the transactions the best DR host never received, counted per GTID domain (one
/// primary writes a domain at a time with gtid_strict_mode, so sequences have no holes), and the commit-time span
/// they cover. Unknown when nothing outside the lost region saw past the DR host.
/// </summary>
public sealed record DataAtRisk(GtidPosition Received, DateTimeOffset? ReceivedAt, IReadOnlyList<KnownPosition> Known)
{
    /// <summary>The most advanced of the known positions, null when none is known.</summary>
    public KnownPosition? Newest => Known.OrderByDescending(k => Ahead(k.Position)).ThenByDescending(k => k.LastCommit).FirstOrDefault();

    /// <summary>Transactions known to exist that the DR host lacks; null when no position outside the lost region is known.</summary>
    public long? Transactions => Newest is { } newest ? Ahead(newest.Position) : null;

    /// <summary>Commit-time span of the missing transactions: the newest known commit minus the DR host's last one.</summary>
    public double? Seconds => Transactions switch
    {
        null => null,
        0 => 0,
        _ when Newest!.LastCommit is { } last && ReceivedAt is { } received => Math.Max(0, (last - received).TotalSeconds),
        _ => null,
    };

    public long Ahead(GtidPosition known) => Missing(Received, known);

    /// <summary>Transactions of <paramref name="known"/> past <paramref name="have"/>, counted by sequence per domain.</summary>
    public static long Missing(GtidPosition have, GtidPosition known)
    {
        var at = have.PerDomain().Gtids.ToDictionary(g => g.Domain, g => g.Sequence);
        return known.PerDomain().Gtids.Sum(g => (long)Math.Max(0, (long)g.Sequence - (long)at.GetValueOrDefault(g.Domain)));
    }

    public string Describe()
    {
        var at = ReceivedAt is { } t ? $", last commit {t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z" : "";
        if (Newest is not { } newest)
        {
            return $"the DR host received up to '{Received}'{at}; nothing outside the lost region (no binlog archive, no reachable host) tells what came after, so the loss is unknown";
        }

        var sources = string.Join("; ", Known.Select(k => $"{k.Where} saw '{k.Position}'"));
        var seconds = Seconds is { } s ? $"{s:0} s of commits" : "an unknown time span";
        return Transactions == 0
            ? $"nothing known is missing: the DR host received '{Received}'{at}; {sources}"
            : $"{Transactions} transaction(s) ({seconds}) known to the lost region are missing on the DR host, which received '{Received}'{at}; {sources}";
    }
}
