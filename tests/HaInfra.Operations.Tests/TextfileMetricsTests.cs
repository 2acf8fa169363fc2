using HaInfra.Operations.Monitoring;

namespace HaInfra.Operations.Tests;

public sealed class TextfileMetricsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-textfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Error_text_is_escaped_as_the_exposition_format_requires_and_the_file_replaced_whole()
    {
        var help = new Dictionary<string, string> { ["m"] = "help", ["n"] = "other" };
        TextfileMetrics.Write(_dir, "x.prom", help, [new MetricSample("m", 1, ("error", "Error 'a' \"b\" c:\\d\nnext"))]);
        TextfileMetrics.Write(_dir, "x.prom", help, [new MetricSample("n", 2.5), new MetricSample("n", 3, ("k", "v"))]);
        Assert.Equal(["x.prom"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("# HELP n other\n# TYPE n gauge\nn 2.5\nn{k=\"v\"} 3\n", File.ReadAllText(Path.Combine(_dir, "x.prom")));
        TextfileMetrics.Write(_dir, "x.prom", help, [new MetricSample("m", 1, ("error", "Error 'a' \"b\" c:\\d\nnext"))]);
        Assert.Contains("m{error=\"Error 'a' \\\"b\\\" c:\\\\d\\nnext\"} 1\n", File.ReadAllText(Path.Combine(_dir, "x.prom")));
    }
}
