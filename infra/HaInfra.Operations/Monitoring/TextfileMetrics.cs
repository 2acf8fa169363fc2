using System.Globalization;
using System.Text;

namespace HaInfra.Operations.Monitoring;

/// <summary>One sample of a metric: its labels (beside the scrape target's stack, host and site) and value.</summary>
public sealed record MetricSample(string Name, double Value, params (string Name, string Value)[] Labels);

/// <summary>
/// Metrics for prometheus-node-exporter's textfile collector: a <c>.prom</c> file in the exposition format, replaced
/// atomically (written aside, then renamed) so the collector never reads half a file. This is how the toolkit reports
/// what mysqld_exporter cannot see — no metrics server of its own.
/// </summary>
public static class TextfileMetrics
{
    /// <param name="help">One HELP line per metric name.</param>
    public static void Write(string directory, string fileName, IReadOnlyDictionary<string, string> help, IEnumerable<MetricSample> samples)
    {
        var text = new StringBuilder();
        foreach (var group in samples.GroupBy(s => s.Name))
        {
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(help[group.Key]).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(" gauge\n");
            foreach (var sample in group)
            {
                text.Append(sample.Name);
                if (sample.Labels.Length > 0)
                {
                    text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
                }

                text.Append(' ').Append(sample.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Label values escape backslash, double quote and newline (the exposition format's three).</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
