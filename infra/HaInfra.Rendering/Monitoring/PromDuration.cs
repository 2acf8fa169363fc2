using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HaInfra.Rendering.Monitoring;

/// <summary>Durations in Prometheus' notation ("7d12h", "30s"): whole seconds, largest units first.</summary>
public static partial class PromDuration
{
    public static string Format(TimeSpan span)
    {
        var seconds = (long)Math.Round(span.TotalSeconds);
        if (seconds <= 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        foreach (var (unit, size) in new[] { ("d", 86400L), ("h", 3600L), ("m", 60L), ("s", 1L) })
        {
            if (seconds >= size)
            {
                text.Append((seconds / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
                seconds %= size;
            }
        }

        return text.ToString();
    }

    /// <summary>Reads Prometheus' notation back ("7d12h", "30s", "1h30m"); units y, w, d, h, m, s, ms.</summary>
    public static TimeSpan Parse(string text)
    {
        var match = Notation().Match(text);
        if (!match.Success || text.Length == 0)
        {
            throw new FormatException($"'{text}' is not a Prometheus duration");
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var digits = part.Value.TakeWhile(char.IsAsciiDigit).Count();
            var number = long.Parse(part.Value[..digits], CultureInfo.InvariantCulture);
            total += part.Value[digits..] switch
            {
                "y" => TimeSpan.FromDays(365 * number),
                "w" => TimeSpan.FromDays(7 * number),
                "d" => TimeSpan.FromDays(number),
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return total;
    }

    [GeneratedRegex("^(?<part>[0-9]+(?:ms|y|w|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Notation();
}
