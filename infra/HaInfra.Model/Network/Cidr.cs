using System.Globalization;

namespace HaInfra.Model.Network;

/// <summary>An IPv4 network such as 10.40.0.0/16: parses strictly (host bits must be zero) and prints back.</summary>
public readonly record struct Cidr(uint Address, int PrefixLength)
{
    public static readonly Cidr Anywhere = new(0, 0);

    private static readonly Cidr[] PrivateRanges = [Parse("10.0.0.0/8"), Parse("172.16.0.0/12"), Parse("192.168.0.0/16")];

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public uint Last => Address | ~Mask;

    /// <summary>Inside the RFC 1918 private ranges, where VPC address spaces belong.</summary>
    public bool IsPrivate
    {
        get
        {
            var self = this;
            return PrivateRanges.Any(r => r.Contains(self));
        }
    }

    public static bool TryParse(string? text, out Cidr cidr, out string problem)
    {
        cidr = default;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !TryParseAddress(parts[0], out var address))
        {
            problem = "is not an IPv4 network in CIDR notation.";
            return false;
        }

        if (!IsDigits(parts[1], 2) || int.Parse(parts[1], CultureInfo.InvariantCulture) is var prefix && prefix > 32)
        {
            problem = "has a prefix length that is not 0-32.";
            return false;
        }

        var candidate = new Cidr(address, prefix);
        if ((address & ~candidate.Mask) != 0)
        {
            problem = $"has host bits set after the /{prefix} prefix (the network is {new Cidr(address & candidate.Mask, prefix)}).";
            return false;
        }

        cidr = candidate;
        problem = "";
        return true;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var problem) ? cidr : throw new FormatException($"'{text}' {problem}");

    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && (other.Address & Mask) == Address;

    public bool Overlaps(Cidr other) => Address <= other.Last && other.Address <= Last;

    /// <summary>The <paramref name="index"/>-th block of prefix length <paramref name="prefixLength"/> inside this network.</summary>
    public Cidr Subnet(int prefixLength, int index)
    {
        if (prefixLength < PrefixLength || prefixLength > 32 || index < 0 || index >= 1L << (prefixLength - PrefixLength))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{this} has no /{prefixLength} block number {index}");
        }

        return new Cidr(Address + (uint)(index * (1L << (32 - prefixLength))), prefixLength);
    }

    public override string ToString() =>
        $"{Address >> 24}.{(Address >> 16) & 255}.{(Address >> 8) & 255}.{Address & 255}/{PrefixLength}";

    private static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        var octets = text.Split('.');
        if (octets.Length != 4)
        {
            return false;
        }

        foreach (var octet in octets)
        {
            // No leading zeros: "010" means 8 to some parsers and 10 to others.
            if (!IsDigits(octet, 3) || (octet.Length > 1 && octet[0] == '0') || int.Parse(octet, CultureInfo.InvariantCulture) is var value && value > 255)
            {
                return false;
            }

            address = (address << 8) | (uint)value;
        }

        return true;
    }

    private static bool IsDigits(string text, int maxLength) => text.Length is > 0 && text.Length <= maxLength && text.All(char.IsAsciiDigit);
}
