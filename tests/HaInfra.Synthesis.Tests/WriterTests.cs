using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Synthesis.Tests;

/// <summary>The YAML writer: strings stay strings, '$' is escaped, references are not, multi-line text is a literal block.</summary>
public class WriterTests
{
    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlScalarNode Scalar(YamlMappingNode map, string key) => (YamlScalarNode)map.Children[new YamlScalarNode(key)];

    [Theory]
    [InlineData("3306")]
    [InlineData("true")]
    [InlineData("0755")]
    [InlineData("no")]
    [InlineData("null")]
    [InlineData("1e3")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("#x")]
    [InlineData("*")]
    [InlineData("0.0.0.0/0")]
    public void Strings_a_reader_could_mistake_are_quoted(string text)
    {
        var node = Scalar(Parse(YamlTemplateWriter.Write(P.Map(("v", text)))), "v");
        Assert.Equal(text, node.Value);
        Assert.NotEqual(ScalarStyle.Plain, node.Style);
    }

    [Fact]
    public void Numbers_and_booleans_are_plain()
    {
        var map = Parse(YamlTemplateWriter.Write(P.Map(("port", 3306), ("on", true))));
        Assert.Equal(ScalarStyle.Plain, Scalar(map, "port").Style);
        Assert.Equal("3306", Scalar(map, "port").Value);
        Assert.Equal("true", Scalar(map, "on").Value);
        Assert.Equal(ScalarStyle.Plain, Scalar(map, "on").Style);
    }

    [Fact]
    public void Literal_dollars_are_doubled_and_references_are_not()
    {
        var value = P.Join("echo ${HOME} $x ", new PRef("vol", "id"), " $$");
        var text = Scalar(Parse(YamlTemplateWriter.Write(P.Map(("v", value)))), "v").Value;
        Assert.Equal("echo $${HOME} $$x ${vol.id} $$$$", text);
    }

    [Fact]
    public void Multi_line_text_is_a_literal_block_and_reads_back_unchanged()
    {
        const string script = "#!/bin/bash\nset -e\n  indented line\n\nlast\n";
        var yaml = YamlTemplateWriter.Write(P.Map(("script", script)));
        Assert.Contains("script: |", yaml);
        Assert.Equal(script, Scalar(Parse(yaml), "script").Value);
    }

    [Fact]
    public void Keys_keep_their_order_and_empty_collections_are_flow()
    {
        var yaml = YamlTemplateWriter.Write(P.Map(("z", 1), ("a", P.List()), ("m", PMap.Empty)));
        Assert.Equal("z: 1\na: []\nm: {}\n", yaml);
    }

    [Fact]
    public void Functions_are_single_key_maps()
    {
        var yaml = YamlTemplateWriter.Write(P.Map(("policy", P.ToJson(P.Map(("Version", "2012-10-17"))))));
        Assert.Equal("policy:\n  fn::toJSON:\n    Version: \"2012-10-17\"\n", yaml);
    }

    [Fact]
    public void Splice_turns_only_the_known_references_into_references()
    {
        var volume = new PRef("db1_data", "id");
        var value = P.Splice("id=\"${db1_data.id}\"; echo ${other}", [volume]);
        var parts = Assert.IsType<PInterpolation>(value).Parts;
        Assert.Equal([new PText("id=\""), volume, new PText("\"; echo ${other}")], parts);
        Assert.Equal("id=\"${db1_data.id}\"; echo $${other}", YamlTemplateWriter.StringOf(value));
    }
}
