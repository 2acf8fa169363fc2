using System.Text.Json.Nodes;
using HaInfra.Model.Network;

namespace HaInfra.Model.Tests;

/// <summary>One test per hainfra:network rule, plus the defaults a stack without the key gets.</summary>
public class NetworkRuleTests
{
    private static Dictionary<string, JsonNode?> WithNetwork(string json)
    {
        var config = TestStacks.Valid();
        config["hainfra:network"] = JsonNode.Parse(json);
        return config;
    }

    [Fact]
    public void Defaults_give_each_region_its_own_vpc_and_no_application_access()
    {
        var network = TestStacks.Load(TestStacks.Valid()).Topology!.Network;
        Assert.Empty(network.ApplicationCidrs);
        Assert.Equal(["eu-west-1 10.64.0.0/16", "eu-central-1 10.65.0.0/16"], network.Regions.Select(r => $"{r.Region} {r.VpcCidr}"));
        Assert.Equal("db.internal", network.DnsZone);
    }

    [Fact]
    public void Explicit_settings_are_used()
    {
        var topology = TestStacks.Load(WithNetwork("""
            { "applicationCidrs": ["10.20.0.0/16", "192.168.10.0/24"], "vpcCidrs": { "eu-central-1": "172.20.0.0/20" }, "dnsZone": "prod.db.internal" }
            """)).Topology!;
        Assert.Equal(["10.20.0.0/16", "192.168.10.0/24"], topology.Network.ApplicationCidrs.Select(c => c.ToString()));
        Assert.Equal("172.20.0.0/20", topology.Network.For("eu-central-1").VpcCidr.ToString());
        Assert.Equal("10.64.0.0/16", topology.Network.For("eu-west-1").VpcCidr.ToString());
        Assert.Equal("prod.db.internal", topology.Network.DnsZone);
    }

    [Fact]
    public void Whole_internet_on_3306_is_rejected()
    {
        var error = TestStacks.ErrorAt(WithNetwork("""{ "applicationCidrs": ["10.20.0.0/16", "0.0.0.0/0"] }"""), "hainfra:network.applicationCidrs[1]");
        Assert.Equal("0.0.0.0/0", error.Value);
        Assert.Contains("3306 to the whole internet", error.Problem);
    }

    [Fact]
    public void Application_cidr_broader_than_a_slash_8()
    {
        var error = TestStacks.ErrorAt(WithNetwork("""{ "applicationCidrs": ["0.0.0.0/1"] }"""), "hainfra:network.applicationCidrs[0]");
        Assert.Contains("broader than a /8", error.Problem);
    }

    [Theory]
    [InlineData("10.20.0.0")]
    [InlineData("10.20.0.0/33")]
    [InlineData("10.020.0.0/16")]
    [InlineData("10.20.0.1/16")]
    public void Application_cidr_that_is_not_a_network(string value)
    {
        var error = TestStacks.ErrorAt(WithNetwork($$"""{ "applicationCidrs": ["{{value}}"] }"""), "hainfra:network.applicationCidrs[0]");
        Assert.Equal(value, error.Value);
    }

    [Fact]
    public void Vpc_cidr_for_a_region_the_stack_does_not_use()
    {
        var error = TestStacks.ErrorAt(WithNetwork("""{ "vpcCidrs": { "us-east-1": "10.40.0.0/16" } }"""), "hainfra:network.vpcCidrs.us-east-1");
        Assert.Contains("eu-west-1, eu-central-1", error.Fix);
    }

    [Fact]
    public void Vpc_cidr_that_is_not_private() =>
        Assert.Contains("RFC 1918", TestStacks.ErrorAt(WithNetwork("""{ "vpcCidrs": { "eu-west-1": "52.10.0.0/16" } }"""), "hainfra:network.vpcCidrs.eu-west-1").Problem);

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.40.0.0/25")]
    public void Vpc_cidr_of_a_size_aws_does_not_allow(string value) =>
        Assert.Contains("/16 to a /24", TestStacks.ErrorAt(WithNetwork($$"""{ "vpcCidrs": { "eu-west-1": "{{value}}" } }"""), "hainfra:network.vpcCidrs.eu-west-1").Problem);

    [Fact]
    public void Overlapping_vpcs_cannot_be_peered()
    {
        var error = TestStacks.ErrorAt(
            WithNetwork("""{ "vpcCidrs": { "eu-west-1": "10.40.0.0/16", "eu-central-1": "10.40.128.0/20" } }"""), "hainfra:network.vpcCidrs.eu-central-1");
        Assert.Contains("overlaps eu-west-1's 10.40.0.0/16", error.Problem);
    }

    [Fact]
    public void Explicit_vpc_colliding_with_another_region_default()
    {
        var error = TestStacks.ErrorAt(WithNetwork("""{ "vpcCidrs": { "eu-west-1": "10.65.0.0/16" } }"""), "hainfra:network.vpcCidrs.eu-central-1");
        Assert.Contains("default VPC range", error.Problem);
    }

    [Theory]
    [InlineData("internal")]
    [InlineData("db.internal.")]
    [InlineData("DB.internal")]
    public void Dns_zone_that_is_not_a_zone_name(string zone) =>
        Assert.Equal(zone, TestStacks.ErrorAt(WithNetwork($$"""{ "dnsZone": "{{zone}}" }"""), "hainfra:network.dnsZone").Value);

    [Fact]
    public void Unknown_network_key() =>
        Assert.Contains("did you mean 'applicationCidrs'", TestStacks.ErrorAt(WithNetwork("""{ "applicationCidr": ["10.0.0.0/16"] }"""), "hainfra:network.applicationCidr").Fix);

    [Fact]
    public void Cidr_parses_and_prints_back_and_splits()
    {
        var cidr = Cidr.Parse("10.40.0.0/16");
        Assert.Equal("10.40.0.0/16", cidr.ToString());
        Assert.Equal("10.40.16.0/20", cidr.Subnet(20, 1).ToString());
        Assert.Equal("10.40.240.0/20", new RegionNetwork("r", cidr).PublicSubnet.ToString());
        Assert.Equal("10.40.32.0/20", new RegionNetwork("r", cidr).ZoneSubnet("eu-west-1c").ToString());
        Assert.True(cidr.Overlaps(Cidr.Parse("10.0.0.0/8")));
        Assert.False(cidr.Overlaps(Cidr.Parse("10.41.0.0/16")));
    }
}
