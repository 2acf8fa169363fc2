using HaInfra.Model.Config;
using HaInfra.Tests.Shared;

namespace HaInfra.Model.Tests;

public class LoaderTests
{
    [Theory]
    [InlineData("local")]
    [InlineData("local-ap")]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    [InlineData("azure-staging")]
    [InlineData("azure-prod")]
    [InlineData("local-galera")]
    public void Example_stacks_are_valid(string stack)
    {
        var result = TopologyLoader.LoadStack(RepoRoot.Stacks, stack);
        Assert.True(result.Ok, result.Describe());
        Assert.Equal(stack, result.Topology!.Stack);
    }

    [Fact]
    public void Prod_has_a_primary_site_two_same_city_sites_and_a_remote_site()
    {
        var prod = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;
        Assert.Equal([SiteKind.Primary, SiteKind.SameCity, SiteKind.SameCity, SiteKind.Remote], prod.Sites.Select(s => s.Kind));
        Assert.All(prod.Sites.Where(s => s.Kind != SiteKind.Remote), s => Assert.Equal(ReplicationMode.SemiSync, s.Mode));
        Assert.Equal(ReplicationMode.Async, prod.Sites[3].Mode);
        Assert.NotEqual(prod.PrimarySite.Region, prod.Sites[3].Region);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        const string yaml = """
            config:
              hainfra:cloud: gcp
              hainfra:flavor: mariadb
              hainfra:version: "9.9"
              hainfra:sites:
                - name: Main
                  kind: primary
                  region: eu-west-1
                  zones: [eu-west-1a]
                  hosts:
                    - { name: db1, size: tiny, dataDiskGb: 20 }
                    - { name: db1, size: small, dataDiskGb: 2 }
                - name: dr
                  kind: remote
                  region: eu-west-1
                  zones: [eu-west-1b]
                  replication: semi-sync
                  hosts: []
            """;
        var result = TopologyLoader.Load(StackFileReader.Parse("bad", "stacks/Pulumi.bad.yaml", yaml));
        Assert.False(result.Ok);
        string[] expected =
        [
            "hainfra:cloud", "hainfra:version", "hainfra:sites[0].name", "hainfra:sites[0].hosts[0].size",
            "hainfra:sites[0].hosts[1].name", "hainfra:sites[0].hosts[1].dataDiskGb", "hainfra:sites[1].region",
            "hainfra:sites[1].replication", "hainfra:sites[1].hosts",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
        var report = result.Describe();
        Assert.StartsWith("error: stacks/Pulumi.bad.yaml: 9 problems; nothing was rendered, written or started.", report);
    }

    [Fact]
    public void Yaml_syntax_error_names_the_line()
    {
        var result = TopologyLoader.Load(StackFileReader.Parse("bad", "stacks/Pulumi.bad.yaml", "config:\n  hainfra:sites: [\n  - x: ]\n"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("stacks/Pulumi.bad.yaml:", error.Path);
        Assert.Contains("not valid YAML", error.Problem);
    }

    [Fact]
    public void Duplicate_yaml_key_is_an_error()
    {
        var result = TopologyLoader.Load(StackFileReader.Parse("bad", "x", "config:\n  hainfra:cloud: aws\n  hainfra:cloud: azure\n"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("x:3:3", error.Path);
        Assert.Contains("Duplicate key hainfra:cloud", error.Problem);
    }

    [Fact]
    public void Missing_stack_file_lists_the_known_stacks()
    {
        var result = TopologyLoader.LoadStack(RepoRoot.Stacks, "prdo");
        var error = Assert.Single(result.Errors);
        // Sorted; the example stacks of each replication method sit between local and prod.
        Assert.Contains("dev, local, local-ap, local-galera, prod, staging", error.Fix);
    }

    [Fact]
    public void Keys_without_namespace_belong_to_the_project()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoRoot.Stacks, "Pulumi.local.yaml")).Replace("hainfra:", "", StringComparison.Ordinal);
        var result = TopologyLoader.Load(StackFileReader.Parse("local", "x", yaml));
        Assert.True(result.Ok, result.Describe());
    }

    [Fact]
    public void Pulumi_environment_gives_the_same_topology_as_the_stack_file()
    {
        var fromFile = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;
        var raw = StackFileReader.Read(RepoRoot.Stacks, "prod");
        // Pulumi passes structured values JSON-encoded inside a JSON object of strings.
        var config = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in raw.Values)
        {
            config[key] = value is System.Text.Json.Nodes.JsonValue ? value.DeepClone() : value!.ToJsonString();
        }

        var env = new Dictionary<string, string?> { ["PULUMI_STACK"] = "prod", ["PULUMI_CONFIG"] = config.ToJsonString() };
        var fromEnv = TopologyLoader.Load(PulumiEnvironmentReader.TryRead(env)!).Topology!;
        Assert.Equal(Describe(fromFile), Describe(fromEnv));
    }

    [Fact]
    public void No_pulumi_stack_means_no_environment_config() =>
        Assert.Null(PulumiEnvironmentReader.TryRead(new Dictionary<string, string?>()));

    [Fact]
    public void Defaults_are_applied()
    {
        var topology = TestStacks.Load(TestStacks.Valid()).Topology!;
        Assert.Equal(ReplicationMethod.PrimaryReplica, topology.Replication.Method);
        Assert.Equal(SemiSyncWaitPoint.AfterSync, topology.Replication.WaitPoint);
        Assert.Equal(ReplicationMode.SemiSync, topology.Sites[1].Mode);
        Assert.Equal(ReplicationMode.Async, topology.Sites[2].Mode);
        Assert.Equal(["eu-central-1a", "eu-central-1b"], topology.Sites[2].Hosts.Select(h => h.Zone));
        Assert.Equal(HostRole.Replica, topology.Host("db1b").Role);
        Assert.True(topology.PrimaryWaitsForSemiSync);
    }

    [Fact]
    public void Server_ids_depend_on_the_host_name_only()
    {
        var before = TestStacks.Load(TestStacks.Valid()).Topology!;
        var config = TestStacks.Valid();
        var hosts = (System.Text.Json.Nodes.JsonArray)TestStacks.Site(config, 2)["hosts"]!;
        var moved = hosts[1]!.DeepClone();
        hosts.RemoveAt(1);
        hosts.Insert(0, moved);
        hosts.Add(System.Text.Json.Nodes.JsonNode.Parse("""{ "name": "db9", "size": "small", "dataDiskGb": "20" }"""));
        var after = TestStacks.Load(config).Topology!;
        foreach (var host in before.Hosts)
        {
            Assert.Equal(host.ServerId, after.Host(host.Name).ServerId);
        }

        Assert.Equal(after.Hosts.Count(), after.Hosts.Select(h => h.ServerId).Distinct().Count());
    }

    private static string Describe(Topology t) =>
        $"{t.Stack} {t.Cloud} {t.Flavor} {t.Version} {t.Replication} {t.Tls} {t.Backup} {t.Local} " +
        $"{string.Join(",", t.Network.ApplicationCidrs)} {string.Join(",", t.Network.Regions)} {t.Network.DnsZone} " +
        string.Join(";", t.Sites.Select(s => $"{s.Name}/{s.Kind}/{s.Region}/{string.Join(",", s.Zones)}/{s.Mode}/" +
            string.Join(",", s.Hosts.Select(h => h with { }))));
}
