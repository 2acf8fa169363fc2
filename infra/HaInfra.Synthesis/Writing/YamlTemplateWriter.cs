using System.Globalization;
using System.Text;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Writing;

/// <summary>
/// Prints a program tree as Pulumi YAML: block style, keys in the tree's order, sequences in a mapping not indented
/// (as libyaml and YamlDotNet print them), multi-line text as literal blocks, strings quoted whenever a reader could
/// mistake them. Written by hand rather than through YamlDotNet's emitter, which analyses every scalar character by
/// character through a look-ahead buffer and took a third of a native synth; its output is the same byte for byte
/// (WriterEquivalenceTests holds it to YamlDotNet's emitter and reads every program back with YamlDotNet's parser).
/// </summary>
public static class YamlTemplateWriter
{
    private const int Indent = 2;

    public static string Write(PMap tree, string? header = null)
    {
        var text = new StringBuilder(64 * 1024);
        if (header is not null)
        {
            foreach (var line in header.Split('\n'))
            {
                text.Append("# ").Append(line).Append('\n');
            }
        }

        if (tree.Entries.Count == 0)
        {
            return text.Append("{}\n").ToString();
        }

        WriteEntries(text, tree, 0, firstInline: false);
        return text.ToString();
    }

    /// <summary>The text Pulumi sees for a string value: literal '$' doubled, references as ${…}.</summary>
    public static string StringOf(PValue value) => value switch
    {
        PText t => Escape(t.Value),
        PRef r => r.ToString(),
        PInterpolation i => string.Concat(i.Parts.Select(StringOf)),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a string value", nameof(value)),
    };

    public static string Escape(string literal) => literal.Replace("$", "$$", StringComparison.Ordinal);

    /// <param name="firstInline">The first entry goes on the current line (after "- "), the rest at <paramref name="indent"/>.</param>
    private static void WriteEntries(StringBuilder text, PMap map, int indent, bool firstInline)
    {
        var first = true;
        foreach (var (key, value) in map.Entries)
        {
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }

            first = false;
            if (key.AsSpan().IndexOfAny("\n\r\x85\u2028\u2029") >= 0)
            {
                // A key on more than one line needs YAML's explicit "? " form; no program key is one.
                throw new ArgumentException($"a key holds a line break: {key}", nameof(map));
            }

            WriteScalar(text, key, blockIndent: null);
            text.Append(':');
            WriteAfterIndicator(text, value, indent, inSequence: false);
        }
    }

    private static void WriteItems(StringBuilder text, PList list, int indent, bool firstInline)
    {
        var first = true;
        foreach (var item in list.Items)
        {
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append('-');
            WriteAfterIndicator(text, item, indent, inSequence: true);
        }
    }

    /// <summary>A value after "key:" or "-" at <paramref name="indent"/>; ends with a line break.</summary>
    private static void WriteAfterIndicator(StringBuilder text, PValue value, int indent, bool inSequence)
    {
        switch (value)
        {
            case PMap { Entries.Count: 0 }:
                text.Append(" {}\n");
                break;
            case PList { Items.Count: 0 }:
                text.Append(" []\n");
                break;
            case PMap map when inSequence:
                text.Append(' ');
                WriteEntries(text, map, indent + Indent, firstInline: true);
                break;
            case PMap map:
                text.Append('\n');
                WriteEntries(text, map, indent + Indent, firstInline: false);
                break;
            case PList list when inSequence:
                text.Append(' ');
                WriteItems(text, list, indent + Indent, firstInline: true);
                break;
            case PList list:
                // A sequence that is a mapping's value is not indented.
                text.Append('\n');
                WriteItems(text, list, indent, firstInline: false);
                break;
            case PFunction f:
                WriteAfterIndicator(text, P.Map((f.Key, f.Argument)), indent, inSequence);
                break;
            case PNumber n:
                text.Append(' ').Append(n.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
                break;
            case PBool b:
                text.Append(' ').Append(b.Value ? "true" : "false").Append('\n');
                break;
            case PText or PRef or PInterpolation:
                text.Append(' ');
                WriteScalar(text, StringOf(value), indent + Indent);
                text.Append('\n');
                break;
            default:
                throw new ArgumentException($"cannot write {value.GetType().Name}", nameof(value));
        }
    }

    /// <param name="blockIndent">Where the lines of a literal block start; null for a key, which cannot be one.</param>
    private static void WriteScalar(StringBuilder text, string value, int? blockIndent)
    {
        if (blockIndent is { } indent && value.Contains('\n', StringComparison.Ordinal) && IsLiteralFriendly(value))
        {
            WriteLiteral(text, value, indent);
        }
        else if (PlainScalars.IsSafe(value))
        {
            text.Append(value);
        }
        else
        {
            WriteDoubleQuoted(text, value);
        }
    }

    /// <summary>A literal block; its chomping indicator keeps the trailing line breaks exactly. No line break follows.</summary>
    private static void WriteLiteral(StringBuilder text, string value, int indent)
    {
        var chomping = !value.EndsWith('\n') ? "-" : value.Length == 1 || value[^2] == '\n' ? "+" : "";
        text.Append('|').Append(chomping);
        var lines = value.EndsWith('\n') ? value[..^1] : value;
        foreach (var line in lines.Split('\n'))
        {
            text.Append('\n');
            if (line.Length > 0)
            {
                text.Append(' ', indent).Append(line);
            }
        }
    }

    private static void WriteDoubleQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // A character outside the BMP: escaped by its code point, as YamlDotNet does.
                text.Append("\\U").Append(char.ConvertToUtf32(c, value[++i]).ToString("X8", CultureInfo.InvariantCulture));
                continue;
            }

            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\0': text.Append("\\0"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append('\t'); break;
                case '\n': text.Append("\\n"); break;
                case '\v': text.Append("\\v"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                case '\x1b': text.Append("\\e"); break;
                case '\x85': text.Append("\\N"); break;
                case '\u2028': text.Append("\\L"); break;
                case '\u2029': text.Append("\\P"); break;
                case < ' ' or (> '~' and < '\xa0'):
                    text.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    break;
                case >= '\uD800' and <= '\uDFFF' or '\uFFFE' or '\uFFFF':
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }

    // A literal block cannot carry trailing spaces, tabs or control characters faithfully, nor start with a space or
    // an empty line (that needs an indentation indicator); those go double-quoted.
    private static bool IsLiteralFriendly(string text)
    {
        if (text.StartsWith(' ') || text.StartsWith('\n'))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == ' ' && (i + 1 == text.Length || text[i + 1] == '\n')) || (char.IsControl(c) && c != '\n'))
            {
                return false;
            }
        }

        return true;
    }
}
