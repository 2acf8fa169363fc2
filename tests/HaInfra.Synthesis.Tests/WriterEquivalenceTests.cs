using System.Globalization;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The hand-written YAML writer against YamlDotNet: byte for byte the text YamlDotNet's emitter prints for the same
/// tree with the same style choices (the writer it replaced), and read back by YamlDotNet's parser to the same values.
/// </summary>
public class WriterEquivalenceTests
{
    public static TheoryData<string> Strings =>
    [
        "plain", "3306", "", " leading", "trailing ", "a: b", "x #y", "quote \" and \\ backslash", "tab\there", "é ü ß 中文",
        "bell\a nul\0 esc\x1b del\x7f c1\x85 nbsp\xa0 ls\u2028 ps\u2029 bom\uFEFF", "emoji 😀 here",
        "one\ntwo", "one\ntwo\n", "one\ntwo\n\n", "\n", "x\n\n\ny", "line \nwith trailing space", "ctl\x01\nline",
        "${ref.id}", "$$HOME", "- dash", "key:", "{braces}", "[list]", "@at", "*star", "&amp", "!bang", "%pct", "|pipe", ">gt",
        "'single'", "null", "~", "yes", "0x1F", "1e3", ".5", "-1",
    ];

    [Fact]
    public void Every_example_program_is_printed_as_YamlDotNet_prints_it()
    {
        foreach (var stack in Synth.AllStacks)
        {
            var tree = Synth.Tree(stack);
            Assert.Equal(Oracle(tree, "header"), YamlTemplateWriter.Write(tree, "header"));
        }
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_in_every_position_is_printed_as_YamlDotNet_prints_it_and_reads_back(string text)
    {
        var tree = P.Map(
            ("value", text),
            ("list", P.List(text, P.Map(("k", text), ("after", 1)), P.List(text, text))),
            ("nested", P.Map(("inner", P.Map(("v", text))), ("empty", PMap.Empty), ("none", P.List()))),
            (text.AsSpan().IndexOfAny("\n\r\x85\u2028\u2029") >= 0 ? "k" : text, "key position"));
        var written = YamlTemplateWriter.Write(tree);
        if (!text.StartsWith('\n'))
        {
            // A text starting with a line break is the one deliberate difference: double-quoted here, a literal
            // block with an indentation indicator there.
            Assert.Equal(Oracle(tree, null), written);
        }

        var root = Parse(written);
        var escaped = YamlTemplateWriter.StringOf(new PText(text));
        Assert.Equal(escaped, Scalar(root, "value"));
        var list = (YamlSequenceNode)root.Children[new YamlScalarNode("list")];
        Assert.Equal(escaped, ((YamlScalarNode)list.Children[0]).Value);
        Assert.Equal(escaped, Scalar((YamlMappingNode)list.Children[1], "k"));
        Assert.Equal(escaped, ((YamlScalarNode)((YamlSequenceNode)list.Children[2]).Children[1]).Value);
        var inner = (YamlMappingNode)((YamlMappingNode)root.Children[new YamlScalarNode("nested")]).Children[new YamlScalarNode("inner")];
        Assert.Equal(escaped, Scalar(inner, "v"));
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[new YamlScalarNode(key)]).Value;

    /// <summary>The same tree through YamlDotNet's emitter, with the style choices the writer makes.</summary>
    private static string Oracle(PMap tree, string? header)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (header is not null)
        {
            text.Write($"# {header}\n");
        }

        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, tree);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, PValue value)
    {
        switch (value)
        {
            case PText or PRef or PInterpolation:
                EmitString(emitter, YamlTemplateWriter.StringOf(value));
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
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case PMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map.Entries)
                {
                    EmitString(emitter, key);
                    Emit(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case PFunction f:
                Emit(emitter, P.Map((f.Key, f.Argument)));
                break;
            default:
                throw new ArgumentException($"cannot write {value.GetType().Name}", nameof(value));
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        var literal = text.Contains('\n', StringComparison.Ordinal) && !text.Split('\n').Any(l => l.EndsWith(' '))
            && !text.Any(c => char.IsControl(c) && c != '\n') && !text.StartsWith(' ');
        var plain = !literal && PlainScalars.IsSafe(text);
        emitter.Emit(Scalar(text, literal ? ScalarStyle.Literal : plain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted));
    }

    private static YamlDotNet.Core.Events.Scalar Scalar(string value, ScalarStyle style) =>
        new(AnchorName.Empty, TagName.Empty, value, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain);
}
