using System.Globalization;
using System.Text;

namespace HaInfra.Rendering.Monitoring;

/// <summary>Durations in Prometheus' notation ("7d12h", "30s"): whole seconds, largest units first.</summary>
public static class PromDuration
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
}
