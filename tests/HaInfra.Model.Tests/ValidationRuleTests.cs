using System.Text.Json.Nodes;

namespace HaInfra.Model.Tests;

/// <summary>One test per validation rule: each breaks one thing in a valid stack and checks path, value and fix.</summary>
public class ValidationRuleTests
{
    [Fact]
    public void Valid_stack_loads()
    {
        var result = TestStacks.Load(TestStacks.Valid());
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal("db1", result.Topology!.Primary.Name);
    }

    [Fact]
    public void Missing_sites()
    {
        var config = TestStacks.Valid();
        config.Remove("hainfra:sites");
        Assert.Contains("missing", TestStacks.ErrorAt(config, "hainfra:sites").Problem);
    }

    [Fact]
    public void No_primary_site()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 0)["kind"] = "same-city";
        Assert.Contains("no site has kind: primary", TestStacks.ErrorAt(config, "hainfra:sites").Problem);
    }

    [Fact]
    public void Two_primary_sites()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["kind"] = "primary";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].kind");
        Assert.Contains("second primary", error.Problem);
        Assert.Equal("primary", error.Value);
    }

    [Fact]
    public void Unknown_site_kind()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["kind"] = "same_city";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].kind");
        Assert.Equal("same_city", error.Value);
        Assert.Contains("primary, same-city, remote", error.Fix);
    }

    [Fact]
    public void Duplicate_site_names()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["name"] = "az2";
        Assert.Contains("already the name", TestStacks.ErrorAt(config, "hainfra:sites[2].name").Problem);
    }

    [Fact]
    public void Site_name_not_dns()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["name"] = "AZ_2";
        Assert.Contains("DNS label", TestStacks.ErrorAt(config, "hainfra:sites[1].name").Problem);
    }

    [Fact]
    public void Site_without_hosts()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["hosts"] = new JsonArray();
        Assert.Contains("hosts is missing", TestStacks.ErrorAt(config, "hainfra:sites[1].hosts").Problem);
    }

    [Fact]
    public void Remote_site_in_primary_region()
    {
        var config = TestStacks.Valid();
        var dr = TestStacks.Site(config, 2);
        dr["region"] = "eu-west-1";
        dr["zones"] = new JsonArray("eu-west-1c");
        var error = TestStacks.ErrorAt(config, "hainfra:sites[2].region");
        Assert.Contains("primary site's region", error.Problem);
        Assert.Equal("eu-west-1", error.Value);
    }

    [Fact]
    public void Same_city_site_in_other_region()
    {
        var config = TestStacks.Valid();
        var site = TestStacks.Site(config, 1);
        site["region"] = "us-east-1";
        site["zones"] = new JsonArray("us-east-1a");
        Assert.Contains("must be in the primary's region", TestStacks.ErrorAt(config, "hainfra:sites[1].region").Problem);
    }

    [Fact]
    public void Semi_sync_remote_site_without_override()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["replication"] = "semi-sync";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[2].replication");
        Assert.Contains("WAN", error.Problem);
        Assert.Contains("allowSemiSyncOverWan", error.Fix);
    }

    [Fact]
    public void Semi_sync_remote_site_with_override_is_valid()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["replication"] = "semi-sync";
        TestStacks.Site(config, 2)["allowSemiSyncOverWan"] = "true";
        var result = TestStacks.Load(config);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(ReplicationMode.SemiSync, result.Topology!.Sites[2].Mode);
    }

    [Fact]
    public void Wan_override_on_non_remote_site()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["allowSemiSyncOverWan"] = "true";
        Assert.Contains("only applies to remote", TestStacks.ErrorAt(config, "hainfra:sites[1].allowSemiSyncOverWan").Problem);
    }

    [Fact]
    public void Unknown_replication_mode()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["replication"] = "sync";
        Assert.Contains("semi-sync, async", TestStacks.ErrorAt(config, "hainfra:sites[1].replication").Fix);
    }

    [Fact]
    public void Missing_region()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1).Remove("region");
        Assert.Contains("region is missing", TestStacks.ErrorAt(config, "hainfra:sites[1].region").Problem);
    }

    [Fact]
    public void Zone_not_in_region()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["zones"] = new JsonArray("us-east-1a");
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].zones[0]");
        Assert.Equal("us-east-1a", error.Value);
        Assert.Contains("eu-west-1a", error.Fix);
    }

    [Fact]
    public void Duplicate_zone()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["zones"] = new JsonArray("eu-central-1a", "eu-central-1a");
        Assert.Contains("same zone twice", TestStacks.ErrorAt(config, "hainfra:sites[2].zones").Problem);
    }

    [Fact]
    public void Host_zone_not_in_site()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 2, 0)["zone"] = "eu-central-1c";
        Assert.Contains("not one of the site's zones", TestStacks.ErrorAt(config, "hainfra:sites[2].hosts[0].zone").Problem);
    }

    [Fact]
    public void Duplicate_host_names()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 2, 1)["name"] = "db2";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[2].hosts[1].name");
        Assert.Contains("hainfra:sites[1].hosts[0]", error.Problem);
    }

    [Fact]
    public void Host_name_not_dns()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["name"] = "db_2.internal";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].name");
        Assert.Equal("db_2.internal", error.Value);
        Assert.Contains("DNS", error.Problem);
    }

    [Fact]
    public void Unknown_size_class()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["size"] = "huge";
        Assert.Contains("small, medium, large, xlarge", TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].size").Fix);
    }

    [Fact]
    public void Data_disk_out_of_range()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["dataDiskGb"] = "5";
        Assert.Contains("10 to 16384", TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].dataDiskGb").Fix);
    }

    [Fact]
    public void Data_disk_not_a_number()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["dataDiskGb"] = "fifty";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].dataDiskGb");
        Assert.Equal("fifty", error.Value);
        Assert.Contains("whole number", error.Problem);
    }

    [Fact]
    public void Server_id_out_of_range()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["serverId"] = "0";
        Assert.Contains("1 to 4294967295", TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].serverId").Fix);
    }

    [Fact]
    public void Duplicate_server_ids()
    {
        var config = TestStacks.Valid();
        var derived = ServerIds.Derive("db1").ToString(System.Globalization.CultureInfo.InvariantCulture);
        TestStacks.Host(config, 1, 0)["serverId"] = derived;
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].serverId");
        Assert.Equal(derived, error.Value);
        Assert.Contains("'db1'", error.Problem);
    }

    [Fact]
    public void Unknown_flavour()
    {
        var config = TestStacks.Valid();
        config["hainfra:flavor"] = "postgres";
        Assert.Contains("mariadb, mysql", TestStacks.ErrorAt(config, "hainfra:flavor").Fix);
    }

    [Fact]
    public void Unsupported_version()
    {
        var config = TestStacks.Valid();
        config["hainfra:version"] = "10.3";
        var error = TestStacks.ErrorAt(config, "hainfra:version");
        Assert.Contains("10.6, 10.11, 11.4", error.Fix);
    }

    [Fact]
    public void Version_not_a_version()
    {
        var config = TestStacks.Valid();
        config["hainfra:version"] = "latest";
        Assert.Contains("not a server version", TestStacks.ErrorAt(config, "hainfra:version").Problem);
    }

    [Fact]
    public void Mysql_version_checked_against_mysql_series()
    {
        var config = TestStacks.Valid();
        config["hainfra:flavor"] = "mysql";
        config["hainfra:version"] = "10.11";
        Assert.Contains("8.0, 8.4", TestStacks.ErrorAt(config, "hainfra:version").Fix);
    }

    [Fact]
    public void Mysql_80_patch_too_old_for_the_rendered_options()
    {
        var config = TestStacks.Valid();
        config["hainfra:flavor"] = "mysql";
        config["hainfra:version"] = "8.0.22";
        Assert.Contains("8.0.30", TestStacks.ErrorAt(config, "hainfra:version").Problem);
        config["hainfra:version"] = "8.0.36";
        var result = TestStacks.Load(config);
        Assert.Equal(["hainfra:flavor"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Mysql_is_refused_until_it_is_realized_with_the_path_and_the_fix()
    {
        var config = TestStacks.Valid();
        config["hainfra:flavor"] = "mysql";
        var error = TestStacks.ErrorAt(config, "hainfra:flavor");
        Assert.Equal("mysql", error.Value);
        Assert.Contains("not realized yet", error.Problem);
        Assert.Contains("flavor: mariadb", error.Fix);
    }

    [Fact]
    public void A_misspelled_region_is_named_with_the_region_it_likely_meant_and_nothing_else()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["region"] = "eu-centrall-1";
        var result = TestStacks.Load(config);
        var error = Assert.Single(result.Errors);
        Assert.Equal("hainfra:sites[2].region", error.Path);
        Assert.Equal("did you mean eu-central-1?", error.Fix);
    }

    [Fact]
    public void A_same_city_site_in_the_primarys_zone_is_refused()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 1)["zones"] = JsonNode.Parse("""["eu-west-1a"]""");
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].zones[0]");
        Assert.Equal("eu-west-1a", error.Value);
        Assert.Contains("is also a zone of site 'main' in the same region", error.Problem);
    }

    [Fact]
    public void A_region_far_from_every_known_one_is_accepted_as_a_new_region()
    {
        var config = TestStacks.Valid();
        TestStacks.Site(config, 2)["region"] = "xx-future-9";
        TestStacks.Site(config, 2)["zones"] = JsonNode.Parse("""["xx-future-9a"]""");
        Assert.DoesNotContain(TestStacks.Load(config).Errors, e => e.Path.StartsWith("hainfra:sites[2]", StringComparison.Ordinal));
    }

    [Fact]
    public void An_out_of_range_retention_is_one_error_not_three()
    {
        var config = TestStacks.Valid();
        config["hainfra:backup"] = JsonNode.Parse("""{ "enabled": true, "recipients": ["age1v0us52fhz5t9ju38ngy2xrg2swnl9t8dvxypxuw2shhar9gcj3qslucf0y"], "retention": { "fullDays": -5 } }""");
        var errors = TestStacks.Load(config).Errors.Where(e => e.Path == "hainfra:backup.retention.fullDays").ToList();
        Assert.Equal("is out of range.", Assert.Single(errors).Problem);
    }

    [Fact]
    public void Unknown_cloud()
    {
        var config = TestStacks.Valid();
        config["hainfra:cloud"] = "gcp";
        Assert.Contains("aws, azure", TestStacks.ErrorAt(config, "hainfra:cloud").Fix);
    }

    [Fact]
    public void Missing_cloud()
    {
        var config = TestStacks.Valid();
        config.Remove("hainfra:cloud");
        Assert.Contains("cloud is missing", TestStacks.ErrorAt(config, "hainfra:cloud").Problem);
    }

    [Fact]
    public void Azure_zones_are_numbers()
    {
        var config = TestStacks.Valid();
        config["hainfra:cloud"] = "azure";
        var errors = TestStacks.Errors(config);
        Assert.Contains(errors, e => e.Path == "hainfra:sites[0].zones[0]" && e.Fix.Contains("1, 2 or 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_replication_method()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "multi-master" }""");
        Assert.Contains("primary-replica, active-passive", TestStacks.ErrorAt(config, "hainfra:replication.method").Fix);
    }

    [Fact]
    public void Active_passive_needs_two_primary_site_hosts()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "method": "active-passive" }""");
        ((JsonArray)TestStacks.Site(config, 0)["hosts"]!).RemoveAt(1);
        Assert.Contains("exactly two hosts", TestStacks.ErrorAt(config, "hainfra:sites[0].hosts").Problem);
    }

    [Fact]
    public void Unknown_seed_method()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "seedMethod": "clone" }""");
        Assert.Contains("physical, logical", TestStacks.ErrorAt(config, "hainfra:replication.seedMethod").Fix);
    }

    [Fact]
    public void Semi_sync_timeout_out_of_range()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "semiSyncTimeoutMs": "10" }""");
        Assert.Contains("milliseconds", TestStacks.ErrorAt(config, "hainfra:replication.semiSyncTimeoutMs").Fix);
    }

    [Fact]
    public void Parallel_workers_out_of_range()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "parallelWorkers": "1000" }""");
        Assert.Contains("0 to 256", TestStacks.ErrorAt(config, "hainfra:replication.parallelWorkers").Fix);
    }

    [Fact]
    public void Unknown_wait_point()
    {
        var config = TestStacks.Valid();
        config["hainfra:replication"] = JsonNode.Parse("""{ "semiSyncWaitPoint": "AFTER_SYNC_X" }""");
        Assert.Contains("after-sync, after-commit", TestStacks.ErrorAt(config, "hainfra:replication.semiSyncWaitPoint").Fix);
    }

    [Fact]
    public void Misspelled_top_level_key_suggests_the_right_one()
    {
        var config = TestStacks.Valid();
        config["hainfra:site"] = config["hainfra:sites"]!.DeepClone();
        var error = TestStacks.ErrorAt(config, "hainfra:site");
        Assert.Contains("did you mean 'hainfra:sites'", error.Fix);
    }

    [Fact]
    public void Misspelled_host_key_suggests_the_right_one()
    {
        var config = TestStacks.Valid();
        TestStacks.Host(config, 1, 0)["dataDiskGB"] = "50";
        var error = TestStacks.ErrorAt(config, "hainfra:sites[1].hosts[0].dataDiskGB");
        Assert.Contains("did you mean 'dataDiskGb'", error.Fix);
    }

    [Fact]
    public void Local_base_port_out_of_range()
    {
        var config = TestStacks.Valid();
        config["hainfra:local"] = JsonNode.Parse("""{ "basePort": "80" }""");
        Assert.Contains("1024 to 60000", TestStacks.ErrorAt(config, "hainfra:local.basePort").Fix);
    }

    [Fact]
    public void Tls_not_a_flag()
    {
        var config = TestStacks.Valid();
        config["hainfra:tls"] = "yes please";
        Assert.Contains("true or false", TestStacks.ErrorAt(config, "hainfra:tls").Problem);
    }

    [Fact]
    public void Sites_not_a_list()
    {
        var config = TestStacks.Valid();
        config["hainfra:sites"] = "main";
        Assert.Contains("expected a list", TestStacks.ErrorAt(config, "hainfra:sites").Problem);
    }

    [Fact]
    public void Too_many_hosts()
    {
        var config = TestStacks.Valid();
        var hosts = (JsonArray)TestStacks.Site(config, 2)["hosts"]!;
        for (var i = 0; i < 70; i++)
        {
            hosts.Add(JsonNode.Parse($$"""{ "name": "extra{{i}}", "size": "small", "dataDiskGb": "20" }"""));
        }

        Assert.Contains("more than 64 hosts", TestStacks.ErrorAt(config, "hainfra:sites").Problem);
    }
}
