using System.Globalization;
using HaInfra.Synthesis.Document;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HaInfra.Synthesis.Writing;

/// <summary>
/// Prints a program tree as Pulumi YAML through YamlDotNet's emitter (no reflection): block style, keys in the
/// tree's order, multi-line text as literal blocks, strings quoted whenever a reader could mistake them.
/// </summary>
public static class YamlTemplateWriter
{
    public static string Write(PMap tree, string? header = null)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (header is not null)
        {
            foreach (var line in header.Split('\n'))
            {
                text.Write($"# {line}\n");
            }
        }

        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        WriteValue(emitter, tree);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
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

    private static void WriteValue(IEmitter emitter, PValue value)
    {
        switch (value)
        {
            case PText or PRef or PInterpolation:
                WriteString(emitter, StringOf(value));
                break;
            case PNumber n:
                emitter.Emit(Scalar(n.Value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain));
                break;
            case PBool b:
                emitter.Emit(Scalar(b.Value ? "true" : "false", ScalarStyle.Plain));
                break;
            case PList list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, list.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list.Items)
                {
                    WriteValue(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case PMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map.Entries)
                {
                    WriteString(emitter, key);
                    WriteValue(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case PFunction f:
                WriteValue(emitter, P.Map((f.Key, f.Argument)));
                break;
            default:
                throw new ArgumentException($"cannot write {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) && IsLiteralFriendly(text) ? ScalarStyle.Literal
            : PlainScalars.IsSafe(text) ? ScalarStyle.Plain
            : ScalarStyle.DoubleQuoted;
        emitter.Emit(Scalar(text, style));
    }

    // A literal block cannot carry trailing spaces, tabs or control characters faithfully; those go double-quoted.
    private static bool IsLiteralFriendly(string text) =>
        !text.Split('\n').Any(line => line.EndsWith(' ')) && !text.Any(c => char.IsControl(c) && c != '\n') && !text.StartsWith(' ');

    private static Scalar Scalar(string value, ScalarStyle style) =>
        new(AnchorName.Empty, TagName.Empty, value, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain);
}
