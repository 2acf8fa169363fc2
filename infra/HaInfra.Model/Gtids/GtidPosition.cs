namespace HaInfra.Model.Gtids;

/// <summary>
/// A MariaDB GTID list as the server prints it ("0-1-42,1-7-3"): gtid_slave_pos, gtid_binlog_pos and
/// gtid_current_pos hold one GTID per domain; gtid_binlog_state holds one per (domain, server_id).
/// Printed sorted, so equal positions print equal.
/// </summary>
public sealed class GtidPosition : IEquatable<GtidPosition>
{
    private readonly Gtid[] _gtids;

    private GtidPosition(IEnumerable<Gtid> gtids) =>
        _gtids = [.. gtids.OrderBy(g => g.Domain).ThenBy(g => g.ServerId).ThenBy(g => g.Sequence)];

    public static GtidPosition Empty { get; } = new([]);

    public IReadOnlyList<Gtid> Gtids => _gtids;

    public bool IsEmpty => _gtids.Length == 0;

    public static GtidPosition Of(params Gtid[] gtids) => new(gtids);

    public static bool TryParse(string? text, out GtidPosition position)
    {
        position = Empty;
        var items = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var gtids = new List<Gtid>();
        foreach (var item in items)
        {
            if (!Gtid.TryParse(item, out var gtid))
            {
                return false;
            }

            gtids.Add(gtid);
        }

        position = new GtidPosition(gtids);
        return true;
    }

    public static GtidPosition Parse(string? text) =>
        TryParse(text, out var position) ? position : throw new FormatException($"'{text}' is not a GTID list like 0-1-42,1-7-3");

    /// <summary>The newest sequence per domain: the position a replica resumes from.</summary>
    public GtidPosition PerDomain() =>
        new(_gtids.GroupBy(g => g.Domain).Select(d => d.MaxBy(g => g.Sequence)));

    /// <summary>True when, in every domain of <paramref name="other"/>, this position is at or past it.</summary>
    public bool Contains(GtidPosition other) =>
        other.PerDomain()._gtids.All(theirs =>
            PerDomain()._gtids.Any(ours => ours.Domain == theirs.Domain && ours.Sequence >= theirs.Sequence));

    /// <summary>
    /// Entries of this binlog state that <paramref name="sourceState"/> never had: transactions written
    /// directly on a replica (errant). Both arguments are gtid_binlog_state lists.
    /// </summary>
    public GtidPosition NotIn(GtidPosition sourceState) =>
        new(_gtids.Where(ours => !sourceState._gtids.Any(theirs =>
            theirs.Domain == ours.Domain && theirs.ServerId == ours.ServerId && theirs.Sequence >= ours.Sequence)));

    /// <summary>
    /// The binlog state a copy of this server's data taken at <paramref name="position"/> descends from: this state
    /// (a gtid_binlog_state) cut back to that position in each domain. A seeded replica starts with an empty binlog, so
    /// MariaDB gives it no entry for the servers that wrote its data; without this state it later looks as if it never
    /// had their transactions, and everyone who has them looks errant to it once it is primary.
    /// </summary>
    public GtidPosition StateAt(GtidPosition position)
    {
        var at = position.PerDomain()._gtids.ToDictionary(g => g.Domain);
        var cut = _gtids
            .Where(g => at.ContainsKey(g.Domain))
            .Select(g => g with { Sequence = Math.Min(g.Sequence, at[g.Domain].Sequence) })
            .Concat(at.Values)
            .GroupBy(g => (g.Domain, g.ServerId))
            .Select(group => group.MaxBy(g => g.Sequence));
        return new GtidPosition(cut);
    }

    public bool Equals(GtidPosition? other) => other is not null && _gtids.SequenceEqual(other._gtids);

    public override bool Equals(object? obj) => Equals(obj as GtidPosition);

    public override int GetHashCode() => _gtids.Aggregate(17, (hash, g) => HashCode.Combine(hash, g));

    public override string ToString() => string.Join(",", _gtids);
}
