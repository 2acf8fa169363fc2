using System.Globalization;
using System.Text;

namespace HaInfra.Operations.Planning;

/// <summary>
/// A property path in Pulumi's own syntax: <c>rootBlockDevice.volumeSize</c>, <c>ingress[2].cidrBlocks[0]</c>,
/// <c>tags["kms:ViaService"]</c>. One syntax for our diff, <c>ignoreChanges</c> entries and a preview's detailedDiff keys,
/// so they compare segment by segment.
/// </summary>
public sealed class PropertyPath : IEquatable<PropertyPath>
{
    private readonly string[] _segments;

    private PropertyPath(string[] segments) => _segments = segments;

    public static PropertyPath Root { get; } = new([]);

    /// <summary>Key segments are names; index segments are stored as "[n]".</summary>
    public IReadOnlyList<string> Segments => _segments;

    public PropertyPath Key(string key) => new([.. _segments, key]);

    public PropertyPath Index(int index) => new([.. _segments, $"[{index.ToString(CultureInfo.InvariantCulture)}]"]);

    /// <summary>The last key (not index) segment: what the property is called, for masking secrets.</summary>
    public string? LastKey => _segments.LastOrDefault(s => !IsIndex(s));

    /// <summary>The path without list indices: <c>ingress[2].cidrBlocks[0]</c> → <c>ingress.cidrBlocks</c>, how the replacement table names it.</summary>
    public string Shape => string.Join('.', _segments.Where(s => !IsIndex(s)));

    public bool StartsWith(PropertyPath prefix) =>
        prefix._segments.Length <= _segments.Length && prefix._segments.AsSpan().SequenceEqual(_segments.AsSpan(0, prefix._segments.Length));

    /// <summary>Parses Pulumi's property path syntax (the subset our programs and previews use: names, [n], ["key"]).</summary>
    public static PropertyPath Parse(string text)
    {
        var segments = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
            }
            else if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '"')
            {
                var end = text.IndexOf("\"]", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end;
                segments.Add(text[(i + 2)..end]);
                i = Math.Min(text.Length, end + 2);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                end = end < 0 ? text.Length - 1 : end;
                segments.Add(text[i..(end + 1)]);
                i = end + 1;
            }
            else
            {
                var end = text.IndexOfAny(['.', '['], i);
                end = end < 0 ? text.Length : end;
                segments.Add(text[i..end]);
                i = end;
            }
        }

        return new PropertyPath([.. segments]);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (IsIndex(segment))
            {
                text.Append(segment);
            }
            else if (IsIdentifier(segment))
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment);
            }
            else
            {
                text.Append("[\"").Append(segment).Append("\"]");
            }
        }

        return text.ToString();
    }

    public bool Equals(PropertyPath? other) => other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as PropertyPath);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static bool IsIndex(string segment) => segment.Length > 2 && segment[0] == '[' && segment[^1] == ']' && segment[1] != '"';

    private static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
