using System.Globalization;

namespace HaInfra.Rendering.Explain;

/// <summary>
/// The figures of a recorded <c>bench/methods</c> run: its header comment (where and when it ran) and its
/// <c>RESULT name=value …</c> line. The comparison quotes them; it never invents one it lacks.
/// </summary>
public sealed class MethodFigures
{
    /// <summary>Where bench/methods records its full runs, relative to the checkout.</summary>
    public const string DefaultPath = "bench/results/methods.result";

    private readonly IReadOnlyDictionary<string, double> _values;

    private MethodFigures(string origin, IReadOnlyDictionary<string, double> values)
    {
        Origin = origin;
        _values = values;
    }

    /// <summary>The header's description of the run ("bench/methods at abc1234 on …"), or the file name.</summary>
    public string Origin { get; }

    public double? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses a recorded run; null with the reason when the text has no usable RESULT line.</summary>
    public static MethodFigures? Parse(string text, string fileName, out string? problem)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var header = lines.FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#', ' ');
        var result = lines.LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (result is null)
        {
            problem = $"{fileName} has no 'RESULT name=value …' line.";
            return null;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var bad = new List<string>();
        foreach (var pair in result["RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = pair.IndexOf('=', StringComparison.Ordinal);
            if (cut <= 0 || !double.TryParse(pair[(cut + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                bad.Add(pair);
                continue;
            }

            values[pair[..cut]] = value;
        }

        if (bad.Count > 0)
        {
            problem = $"{fileName}: not name=number: {string.Join(", ", bad)}.";
            return null;
        }

        problem = null;
        return new MethodFigures(header is { Length: > 0 } ? header : fileName, values);
    }
}
