using System.Globalization;
using System.Text.RegularExpressions;

namespace HaInfra.Operations.Planning;

/// <summary>
/// Whether a value written in my.cnf is the value a running server shows for it, though spelled differently:
/// ON vs 1, 128M vs 134217728, a relative file name vs its path under the datadir, a trailing slash, a set in another order.
/// </summary>
public static partial class OptionValues
{
    /// <param name="running">Every global variable of the server (SHOW GLOBAL VARIABLES), for values shown elsewhere (log_bin's name, datadir).</param>
    public static bool Same(string variable, string desired, string? value, IReadOnlyDictionary<string, string?> running)
    {
        if (value is null)
        {
            return false;
        }

        var want = desired.Trim();
        var have = value.Trim();
        if (variable == "wsrep_provider_options")
        {
            // The server shows every provider option; only the keys written are compared.
            return Galera.ProviderOptions.Includes(have, want, (w, h) => Same("", w, h, running));
        }

        if (variable == "wsrep_sst_auth" && have == "********")
        {
            // The server never shows a set value (it may hold a password); what it holds cannot be compared.
            return true;
        }

        if (string.Equals(want, have, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Number(want) is { } a && Number(have) is { } b)
        {
            return a == b;
        }

        if (Bool(want) is { } x && Bool(have) is { } y)
        {
            return x == y;
        }

        var datadir = running.GetValueOrDefault("datadir");
        // log_bin = NAME turns binary logging on: the server shows ON, and the name under log_bin_basename.
        if (variable == "log_bin" && Bool(have) == true && Bool(want) is null)
        {
            return SamePath(want, running.GetValueOrDefault("log_bin_basename"), datadir);
        }

        if (SamePath(want, have, datadir))
        {
            return true;
        }

        return want.Contains(',', StringComparison.Ordinal) && Set(want).SetEquals(Set(have));
    }

    /// <summary>ON/OFF, TRUE/FALSE, YES/NO, 1/0; null for anything else.</summary>
    public static bool? Bool(string text) => text.ToUpperInvariant() switch
    {
        "ON" or "TRUE" or "YES" or "1" => true,
        "OFF" or "FALSE" or "NO" or "0" => false,
        _ => null,
    };

    /// <summary>A number, with the server's size suffixes (K, M, G, T: powers of 1024); null for anything else.</summary>
    public static decimal? Number(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var power = match.Groups[2].Value.ToUpperInvariant() switch { "K" => 1, "M" => 2, "G" => 3, "T" => 4, _ => 0 };
        for (var i = 0; i < power; i++)
        {
            number *= 1024;
        }

        return number;
    }

    /// <summary>Two spellings of one file: a relative name is under the datadir; a trailing slash does not count.</summary>
    private static bool SamePath(string want, string? have, string? datadir)
    {
        if (have is null || !(want.Contains('/', StringComparison.Ordinal) || have.Contains('/', StringComparison.Ordinal)))
        {
            return false;
        }

        if (!Path.IsPathRooted(want) && datadir is not null)
        {
            want = Path.Combine(datadir, want);
        }

        return string.Equals(want.TrimEnd('/'), have.TrimEnd('/'), StringComparison.Ordinal);
    }

    private static HashSet<string> Set(string text) =>
        new(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([KMGTkmgt]?)$")]
    private static partial Regex SizePattern();
}
