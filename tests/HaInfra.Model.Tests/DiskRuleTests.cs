namespace HaInfra.Model.Tests;

/// <summary>One test per data-disk performance rule (aws gp3 limits).</summary>
public class DiskRuleTests
{
    private static Dictionary<string, System.Text.Json.Nodes.JsonNode?> WithDisk(string? iops, string? throughput, string sizeGb = "100")
    {
        var config = TestStacks.Valid();
        var host = TestStacks.Host(config, 2, 0);
        host["dataDiskGb"] = sizeGb;
        if (iops is not null)
        {
            host["dataDiskIops"] = iops;
        }

        if (throughput is not null)
        {
            host["dataDiskThroughputMbps"] = throughput;
        }

        return config;
    }

    private const string Host = "hainfra:sites[2].hosts[0]";

    [Fact]
    public void Defaults_are_the_gp3_baseline()
    {
        var host = TestStacks.Load(TestStacks.Valid()).Topology!.Host("db3");
        Assert.Equal(new DiskPerformance(3000, 125), host.DataDisk);
    }

    [Fact]
    public void Provisioned_values_are_kept()
    {
        var host = TestStacks.Load(WithDisk("12000", "750")).Topology!.Host("db3");
        Assert.Equal(new DiskPerformance(12000, 750), host.DataDisk);
    }

    [Theory]
    [InlineData("2000")]
    [InlineData("20000")]
    public void Iops_outside_gp3_range(string iops) =>
        Assert.Contains("3000 to 16000", TestStacks.ErrorAt(WithDisk(iops, null), $"{Host}.dataDiskIops").Fix);

    [Theory]
    [InlineData("100")]
    [InlineData("1200")]
    public void Throughput_outside_gp3_range(string throughput) =>
        Assert.Contains("125 to 1000", TestStacks.ErrorAt(WithDisk("16000", throughput), $"{Host}.dataDiskThroughputMbps").Fix);

    [Fact]
    public void Iops_above_500_per_gib()
    {
        var error = TestStacks.ErrorAt(WithDisk("6000", null, sizeGb: "10"), $"{Host}.dataDiskIops");
        Assert.Contains("10 GiB allows 5000", error.Problem);
        Assert.Contains("at least 12", error.Fix);
    }

    [Fact]
    public void Throughput_above_a_quarter_of_iops()
    {
        var error = TestStacks.ErrorAt(WithDisk("3000", "1000"), $"{Host}.dataDiskThroughputMbps");
        Assert.Contains("3000 IOPS allow 750 MiB/s", error.Problem);
        Assert.Contains("at least 4000", error.Fix);
    }

    [Fact]
    public void Not_a_number() =>
        Assert.Equal("fast", TestStacks.ErrorAt(WithDisk("fast", null), $"{Host}.dataDiskIops").Value);
}
