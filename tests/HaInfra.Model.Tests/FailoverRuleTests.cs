using System.Text.Json.Nodes;

namespace HaInfra.Model.Tests;

/// <summary>hainfra:failover: defaults, kept values, and each rule's path, value and fix.</summary>
public class FailoverRuleTests
{
    private static Dictionary<string, JsonNode?> With(string json)
    {
        var config = TestStacks.Valid();
        config["hainfra:failover"] = JsonNode.Parse(json);
        return config;
    }

    [Fact]
    public void Defaults_turn_automatic_failover_on_when_the_primary_region_has_another_host()
    {
        var policy = TestStacks.Load(TestStacks.Valid()).Topology!.Failover;
        Assert.True(policy.Auto);
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.CheckInterval);
        Assert.Equal(3, policy.FailureCount);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Deadline);
        Assert.Equal(TimeSpan.FromHours(1), policy.AntiFlap);
        Assert.Empty(policy.NeverPromote);
    }

    [Fact]
    public void A_stack_whose_other_hosts_are_all_remote_defaults_to_manual()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 0)["hosts"]!.AsArray().RemoveAt(1);
        ((JsonArray)config["hainfra:sites"]!).RemoveAt(1);
        Assert.False(TestStacks.Load(config).Topology!.Failover.Auto);
    }

    [Fact]
    public void Given_values_are_kept()
    {
        var policy = TestStacks.Load(With("""
            { "auto": "false", "checkIntervalMs": "250", "failureCount": "4", "deadlineSeconds": "20",
              "antiFlapMinutes": "10", "maxLagSeconds": "3", "neverPromote": ["db1b"] }
            """)).Topology!.Failover;
        Assert.False(policy.Auto);
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.CheckInterval);
        Assert.Equal(4, policy.FailureCount);
        Assert.Equal(TimeSpan.FromSeconds(20), policy.Deadline);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.AntiFlap);
        Assert.Equal(3, policy.MaxLagSeconds);
        Assert.Equal(["db1b"], policy.NeverPromote);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DetectionTime);
    }

    [Fact]
    public void One_failed_probe_is_never_enough()
    {
        var error = TestStacks.ErrorAt(With("""{ "failureCount": "1" }"""), "hainfra:failover.failureCount");
        Assert.Equal("1", error.Value);
        Assert.Contains("2 to 100", error.Fix);
    }

    [Theory]
    [InlineData("checkIntervalMs", "50")]
    [InlineData("deadlineSeconds", "2")]
    [InlineData("antiFlapMinutes", "-1")]
    [InlineData("maxLagSeconds", "7200")]
    public void Out_of_range_timings_are_named(string key, string value)
    {
        var error = TestStacks.ErrorAt(With($$"""{ "{{key}}": "{{value}}" }"""), $"hainfra:failover.{key}");
        Assert.Equal(value, error.Value);
    }

    [Fact]
    public void A_misspelled_never_promote_host_gets_a_suggestion()
    {
        var error = TestStacks.ErrorAt(With("""{ "neverPromote": ["db2x"] }"""), "hainfra:failover.neverPromote[0]");
        Assert.Equal("db2x", error.Value);
        Assert.Contains("did you mean 'db2'", error.Fix);
    }

    [Fact]
    public void Automatic_failover_without_a_promotable_host_in_the_primary_region_is_refused()
    {
        var error = TestStacks.ErrorAt(With("""{ "auto": "true", "neverPromote": ["db1b", "db2"] }"""), "hainfra:failover.auto");
        Assert.Contains("no host to promote", error.Problem);
        Assert.Contains("auto: false", error.Fix);
    }

    [Fact]
    public void An_unknown_failover_key_is_named()
    {
        var error = TestStacks.ErrorAt(With("""{ "autoFailover": "true" }"""), "hainfra:failover.autoFailover");
        Assert.Contains("not a known key", error.Problem);
    }

    [Fact]
    public void The_primary_in_a_view_is_the_host_with_the_primary_role()
    {
        var topology = TestStacks.Load(TestStacks.Valid()).Topology!;
        Assert.Equal("db1", topology.Primary.Name);
        var moved = topology.WithPrimary("db2");
        Assert.Equal("db2", moved.Primary.Name);
        Assert.Equal("db1", moved.InitialPrimary.Name);
        Assert.Contains(moved.Replicas, r => r.Name == "db1");
        Assert.True(moved.InPrimaryRegion(moved.Host("db2")));
        Assert.False(moved.InPrimaryRegion(moved.Host("db3")));
    }
    [Fact]
    public void A_primary_on_the_dr_site_makes_that_site_home_and_the_former_region_remote_and_async()
    {
        var topology = TestStacks.Load(TestStacks.Valid()).Topology!;
        Assert.Equal(ReplicationMode.SemiSync, topology.SiteOf(topology.Host("db2")).Mode);

        var promoted = topology.WithPrimary("db3");

        Assert.Equal("dr", promoted.PrimarySite.Name);
        Assert.Equal("eu-central-1", promoted.PrimaryRegion);
        Assert.True(promoted.InPrimaryRegion(promoted.Host("db4")));
        Assert.False(promoted.InPrimaryRegion(promoted.Host("db1")));
        Assert.False(promoted.InPrimaryRegion(promoted.Host("db2")));
        Assert.Equal(SiteKind.Remote, promoted.SiteOf(promoted.Host("db2")).Kind);
        Assert.Equal(ReplicationMode.Async, promoted.SiteOf(promoted.Host("db2")).Mode);
        Assert.Equal(ReplicationMode.Async, promoted.SiteOf(promoted.Host("db1b")).Mode);
        Assert.False(promoted.PrimaryWaitsForSemiSync);

        // Switching back home restores the configured kinds and modes.
        var back = promoted.WithPrimary("db1");
        Assert.Equal("main", back.PrimarySite.Name);
        Assert.Equal(ReplicationMode.SemiSync, back.SiteOf(back.Host("db2")).Mode);
    }
}
