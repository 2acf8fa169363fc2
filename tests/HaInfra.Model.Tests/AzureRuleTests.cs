using System.Text.Json.Nodes;

namespace HaInfra.Model.Tests;

/// <summary>The rules that hold only on azure: the SSH public key, regions with zones, Premium SSD v2 limits.</summary>
public class AzureRuleTests
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILjKIr7cv6MrP5Z+uEw78FrvTfIUC6hmHiL+T9rC/2W7 operator@example";
    private const string KeyPath = "hainfra:network.adminSshPublicKey";
    private const string Host = "hainfra:sites[2].hosts[0]";

    private static Dictionary<string, JsonNode?> Valid(string? key = Key)
    {
        var config = TestStacks.Valid();
        config["hainfra:cloud"] = "azure";
        config["hainfra:sites"] = JsonNode.Parse("""
            [
              { "name": "main", "kind": "primary", "region": "westeurope", "zones": ["1"],
                "hosts": [ { "name": "db1", "size": "small", "dataDiskGb": "20" },
                           { "name": "db1b", "size": "small", "dataDiskGb": "20" } ] },
              { "name": "az2", "kind": "same-city", "region": "westeurope", "zones": ["2"],
                "hosts": [ { "name": "db2", "size": "medium", "dataDiskGb": "50" } ] },
              { "name": "dr", "kind": "remote", "region": "northeurope", "zones": ["1", "2"],
                "hosts": [ { "name": "db3", "size": "large", "dataDiskGb": "100" },
                           { "name": "db4", "size": "large", "dataDiskGb": "100" } ] }
            ]
            """);
        config["hainfra:network"] = key is null ? new JsonObject() : new JsonObject { ["adminSshPublicKey"] = key };
        return config;
    }

    [Fact]
    public void A_valid_azure_stack_loads_with_its_key()
    {
        var result = TestStacks.Load(Valid());
        Assert.True(result.Ok, result.Describe());
        Assert.Equal(Key, result.Topology!.Network.AdminSshPublicKey);
    }

    [Fact]
    public void The_ssh_key_is_required_on_azure() =>
        Assert.Contains("pulumi config set --path hainfra:network.adminSshPublicKey", TestStacks.ErrorAt(Valid(null), KeyPath).Fix);

    [Fact]
    public void A_private_key_is_refused_and_not_echoed()
    {
        var error = TestStacks.ErrorAt(Valid("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"), KeyPath);
        Assert.Contains("private key", error.Problem);
        Assert.DoesNotContain("b3BlbnNz", error.ToString());
    }

    [Theory]
    [InlineData("ecdsa-sha2-nistp256 AAAAE2VjZHNh")]
    [InlineData("ssh-ed25519 not-base64!")]
    [InlineData("AAAAC3NzaC1lZDI1NTE5")]
    public void A_key_that_is_no_openssh_public_key_is_refused(string key) =>
        Assert.Contains("OpenSSH public key", TestStacks.ErrorAt(Valid(key), KeyPath).Problem);

    [Fact]
    public void The_ssh_key_on_an_aws_stack_is_refused()
    {
        var config = TestStacks.Valid();
        config["hainfra:network"] = new JsonObject { ["adminSshPublicKey"] = Key };
        Assert.Contains("remove", TestStacks.ErrorAt(config, KeyPath).Fix);
    }

    [Fact]
    public void A_region_without_zones_is_refused()
    {
        var config = Valid();
        TestStacks.Site(config, 2)["region"] = "westus";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[2].region");
        Assert.Equal("westus", error.Value);
        Assert.Contains("westus2", error.Fix);
    }

    [Fact]
    public void Azure_zones_are_numbers() =>
        Assert.NotEmpty(TestStacks.Errors(WithZone("westeurope-1")));

    [Theory]
    [InlineData("2000", "3000 to 80000")]
    [InlineData("90000", "3000 to 80000")]
    public void Iops_outside_premium_ssd_v2_range(string iops, string fix)
    {
        var config = Valid();
        TestStacks.Host(config, 2, 0)["dataDiskIops"] = iops;
        TestStacks.Host(config, 2, 0)["dataDiskGb"] = "1000";
        Assert.Contains(fix, TestStacks.ErrorAt(config, $"{Host}.dataDiskIops").Fix);
    }

    [Fact]
    public void Iops_above_500_per_gib_are_refused_with_the_size_that_allows_them()
    {
        var config = Valid();
        TestStacks.Host(config, 2, 0)["dataDiskIops"] = "60000";
        Assert.Contains("dataDiskGb to at least 120", TestStacks.ErrorAt(config, $"{Host}.dataDiskIops").Fix);
    }

    [Fact]
    public void Throughput_above_a_quarter_of_the_iops_is_refused()
    {
        var config = Valid();
        TestStacks.Host(config, 2, 0)["dataDiskThroughputMbps"] = "1100";
        Assert.Contains("dataDiskIops to at least 4400", TestStacks.ErrorAt(config, $"{Host}.dataDiskThroughputMbps").Fix);
    }

    [Fact]
    public void Premium_ssd_v2_allows_more_than_gp3()
    {
        var config = Valid();
        TestStacks.Host(config, 2, 0)["dataDiskGb"] = "1000";
        TestStacks.Host(config, 2, 0)["dataDiskIops"] = "40000";
        TestStacks.Host(config, 2, 0)["dataDiskThroughputMbps"] = "1200";
        var result = TestStacks.Load(config);
        Assert.True(result.Ok, result.Describe());
    }

    private static Dictionary<string, JsonNode?> WithZone(string zone)
    {
        var config = Valid();
        TestStacks.Site(config, 1)["zones"] = new JsonArray(zone);
        return config;
    }
}
