using System.Globalization;

namespace HaInfra.Model.Gtids;

/// <summary>A MariaDB global transaction id: domain-server_id-sequence, e.g. 0-1-42.</summary>
public readonly record struct Gtid(uint Domain, uint ServerId, ulong Sequence)
{
    public static bool TryParse(string? text, out Gtid gtid)
    {
        gtid = default;
        var parts = (text ?? "").Trim().Split('-');
        if (parts.Length != 3
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var domain)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var server)
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        gtid = new Gtid(domain, server, sequence);
        return true;
    }

    public static Gtid Parse(string text) =>
        TryParse(text, out var gtid) ? gtid : throw new FormatException($"'{text}' is not a GTID like 0-1-42");

    public override string ToString() => $"{Domain}-{ServerId}-{Sequence}";
}
