using System.Text.Json.Nodes;
using HaInfra.Model.Galera;

namespace HaInfra.Model.Tests;

/// <summary>One test per rule of method: galera: each breaks one thing in a valid Galera stack and checks path, value and fix.</summary>
public class GaleraRuleTests
{
    /// <summary>Three nodes (the primary site and two same-city sites, three zones) and an async DR site of two hosts.</summary>
    private static Dictionary<string, JsonNode?> Galera()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "galera" }""");
        ((JsonArray)TestStacks.Site(config, 0)["hosts"]!).RemoveAt(1);
        ((JsonArray)config["hainfra:sites"]!).Insert(2, JsonNode.Parse("""
            { "name": "az3", "kind": "same-city", "region": "eu-west-1", "zones": ["eu-west-1c"],
              "hosts": [ { "name": "db5", "size": "small", "dataDiskGb": "20" } ] }
            """));
        return config;
    }

    [Fact]
    public void Galera_stack_loads_with_the_primary_region_as_the_cluster()
    {
        var result = TestStacks.Load(Galera());
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var topology = result.Topology!;
        Assert.Equal(["db1", "db2", "db5"], GaleraCluster.Nodes(topology).Select(h => h.Name));
        Assert.Equal(ReplicationMode.Galera, topology.Sites[1].Mode);
        Assert.Equal(ReplicationMode.Async, topology.Sites[3].Mode);
        Assert.False(topology.PrimaryWaitsForSemiSync);
        Assert.False(topology.Failover.Auto);
    }

    [Fact]
    public void Fewer_than_three_nodes()
    {
        var config = Galera();
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(2);
        var error = TestStacks.ErrorAt(config, "hainfra:sites");
        Assert.Equal("2 Galera nodes", error.Value);
        Assert.Contains("fewer than three", error.Problem);
        Assert.Contains("arbitrator", error.Fix);
    }

    [Fact]
    public void Even_node_count()
    {
        var config = Galera();
        ((JsonArray)TestStacks.Site(config, 1)["hosts"]!).Add(JsonNode.Parse("""{ "name": "db6", "size": "small", "dataDiskGb": "20", "zone": "eu-west-1b" }"""));
        TestStacks.Site(config, 1)["zones"] = JsonNode.Parse("""["eu-west-1b"]""");
        var error = TestStacks.ErrorAt(config, "hainfra:sites");
        Assert.Equal("4 Galera nodes", error.Value);
        Assert.Contains("two halves", error.Problem);
    }

    [Fact]
    public void An_arbitrator_makes_two_nodes_enough()
    {
        var config = Galera();
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(2);
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "galera", "arbitrator": "arb1.db.internal" }""");
        var result = TestStacks.Load(config);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("arb1.db.internal", result.Topology!.Replication.Arbitrator);
    }

    [Fact]
    public void Arbitrator_with_an_odd_node_count()
    {
        var config = Galera();
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "galera", "arbitrator": "10.0.9.4" }""");
        var error = TestStacks.ErrorAt(config, "hainfra:replication.arbitrator");
        Assert.Equal("3 Galera nodes and an arbitrator", error.Value);
        Assert.Contains("remove the arbitrator", error.Fix);
    }

    [Fact]
    public void Arbitrator_on_a_node()
    {
        var config = Galera();
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(2);
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "galera", "arbitrator": "db2" }""");
        var error = TestStacks.ErrorAt(config, "hainfra:replication.arbitrator");
        Assert.Equal("db2", error.Value);
        Assert.Contains("is a node of the cluster", error.Problem);
    }

    [Fact]
    public void Arbitrator_not_a_host_name()
    {
        var config = Galera();
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(2);
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "galera", "arbitrator": "Arb_1" }""");
        Assert.Contains("not a host name", TestStacks.ErrorAt(config, "hainfra:replication.arbitrator").Problem);
    }

    [Fact]
    public void Arbitrator_without_galera()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "arbitrator": "arb1" }""");
        Assert.Contains("method: galera", TestStacks.ErrorAt(config, "hainfra:replication.arbitrator").Fix);
    }

    [Fact]
    public void Galera_site_without_galera_method()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["replication"] = "galera";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].replication");
        Assert.Equal("galera", error.Value);
        Assert.Contains("only to method: galera", error.Problem);
    }

    [Theory]
    [InlineData("semiSyncWaitPoint", "after-sync")]
    [InlineData("semiSyncTimeoutMs", "2000")]
    public void Semi_sync_settings_do_not_apply(string key, string value)
    {
        var config = Galera();
        config["hainfra:replication"] = new JsonObject { ["method"] = "galera", [key] = value };
        var error = TestStacks.ErrorAt(config, $"hainfra:replication.{key}");
        Assert.Equal(value, error.Value);
        Assert.Contains("does not apply to method: galera", error.Problem);
    }

    [Fact]
    public void Semi_sync_site_does_not_apply()
    {
        var config = Galera();
        TestStacks.Site(config, 1)["replication"] = "semi-sync";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].replication");
        Assert.Equal("semi-sync", error.Value);
        Assert.Contains("galera", error.Fix);
    }

    [Fact]
    public void Remote_site_in_the_cluster_needs_allow_galera_over_wan()
    {
        var config = Galera();
        TestStacks.Site(config, 3)["replication"] = "galera";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[3].replication");
        Assert.Contains("WAN round trip on every commit", error.Problem);
        Assert.Contains("allowGaleraOverWan: true", error.Fix);

        TestStacks.Site(config, 3)["allowGaleraOverWan"] = "true";
        var result = TestStacks.Load(config);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(5, GaleraCluster.Nodes(result.Topology!).Count);
    }

    [Fact]
    public void Allow_galera_over_wan_on_a_same_city_site()
    {
        var config = Galera();
        TestStacks.Site(config, 1)["allowGaleraOverWan"] = "true";
        Assert.Contains("only applies to remote sites", TestStacks.ErrorAt(config, "hainfra:sites[1].allowGaleraOverWan").Problem);
    }

    [Fact]
    public void A_zone_with_half_the_votes()
    {
        var config = Galera();
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(2);
        ((JsonArray)TestStacks.Site(config, 0)["hosts"]!).Add(JsonNode.Parse("""{ "name": "db1b", "size": "small", "dataDiskGb": "20" }"""));
        var error = TestStacks.ErrorAt(config, "hainfra:sites[0].zones");
        Assert.Equal("eu-west-1a", error.Value);
        Assert.Contains("holds 2 of the cluster's 3 votes", error.Problem);
    }

    [Fact]
    public void Automatic_failover_does_not_apply()
    {
        var config = Galera();
        config["hainfra:failover"] = JsonNode.Parse("""{ "auto": "true" }""");
        Assert.Contains("does not apply to method: galera", TestStacks.ErrorAt(config, "hainfra:failover.auto").Problem);
    }

    [Fact]
    public void Primary_site_outside_the_cluster()
    {
        var config = Galera();
        TestStacks.Site(config, 0)["replication"] = "async";
        Assert.Contains("first nodes", TestStacks.ErrorAt(config, "hainfra:sites[0].replication").Problem);
    }
}
