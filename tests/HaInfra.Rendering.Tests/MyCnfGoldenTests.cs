using HaInfra.Model;
using HaInfra.Rendering.MyCnf;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

public class MyCnfGoldenTests
{
    public static TheoryData<string> Stacks => [.. RepoRoot.ExampleStacks];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_host_of_every_example_stack_matches_its_golden_file(string stack)
    {
        var topology = RenderFixture.Stack(stack);
        foreach (var file in MyCnfRenderer.RenderAll(RenderFixture.Renderer(), topology))
        {
            Golden.Check($"my.cnf/{stack}/{file.RelativePath}", file.Text);
        }
    }

    [Fact]
    public void Mysql_flavour_matches_its_golden_files()
    {
        foreach (var file in MyCnfRenderer.RenderAll(RenderFixture.Renderer(), RenderFixture.MySqlProd()))
        {
            Golden.Check($"my.cnf/prod-mysql/{file.RelativePath}", file.Text);
        }
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        var topology = RenderFixture.Stack("prod");
        var first = MyCnfRenderer.RenderAll(RenderFixture.Renderer(), topology).Select(f => f.Text).ToList();
        var second = MyCnfRenderer.RenderAll(RenderFixture.Renderer(), RenderFixture.Stack("prod")).Select(f => f.Text).ToList();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Header_names_the_template_and_has_no_timestamp()
    {
        var file = MyCnfRenderer.Render(RenderFixture.Renderer(), RenderFixture.Stack("local"), RenderFixture.Stack("local").Primary);
        var header = file.Text.Split('\n')[0];
        Assert.Contains("templates/my.cnf/mariadb.cnf.sbn", header);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", file.Text);
    }

    [Fact]
    public void Required_settings_are_present_and_role_neutral()
    {
        var prod = RenderFixture.Stack("prod");
        var renderer = RenderFixture.Renderer();
        var serverIds = new HashSet<string>();
        foreach (var host in prod.Hosts)
        {
            var options = Options(MyCnfRenderer.Render(renderer, prod, host).Text);
            Assert.True(serverIds.Add(options["server_id"]), $"server_id {options["server_id"]} repeats");
            Assert.Equal("mysql-bin", options["log_bin"]);
            Assert.Equal("ROW", options["binlog_format"]);
            Assert.Equal("ON", options["gtid_strict_mode"]);
            Assert.Equal("ON", options["log_slave_updates"]);
            Assert.Equal("1", options["sync_binlog"]);
            Assert.Equal("1", options["innodb_flush_log_at_trx_commit"]);
            Assert.Equal("ON", options["relay_log_recovery"]);
            Assert.Equal("optimistic", options["slave_parallel_mode"]);
            Assert.Equal("4", options["slave_parallel_threads"]);
            Assert.Equal("/etc/mysql/tls/ca.pem", options["ssl_ca"]);
            var site = prod.SiteOf(host);

            // Role-neutral: the primary's file starts it read-only too; the tool sets the role from the recorded term.
            Assert.Equal("ON", options["read_only"]);
            Assert.Equal("OFF", options["rpl_semi_sync_master_enabled"]);
            Assert.Equal(site.Mode == ReplicationMode.SemiSync ? "ON" : "OFF", options["rpl_semi_sync_slave_enabled"]);
            Assert.Equal("AFTER_SYNC", options["rpl_semi_sync_master_wait_point"]);
            Assert.Equal("6", options["slave_net_timeout"]);
        }
    }

    [Fact]
    public void Tls_off_leaves_out_the_tls_files()
    {
        var topology = RenderFixture.Stack("local") with { Tls = false };
        var text = MyCnfRenderer.Render(RenderFixture.Renderer(), topology, topology.Primary).Text;
        Assert.DoesNotContain("ssl_", text);
        Assert.DoesNotContain("require_secure_transport", text);
    }

    [Fact]
    public void The_primary_and_a_replica_of_one_site_differ_only_in_identity()
    {
        var prod = RenderFixture.Stack("prod");
        var renderer = RenderFixture.Renderer();
        string Neutral(Host host) => string.Join("\n", MyCnfRenderer.Render(renderer, prod, host).Text.Split('\n')
            .Where(l => !l.Contains(host.Name, StringComparison.Ordinal) && !l.StartsWith("server_id", StringComparison.Ordinal)));
        Assert.Equal(Neutral(prod.Host("prod-db-a1")), Neutral(prod.Host("prod-db-a2")));
        Assert.Equal(Neutral(prod.Host("prod-db-a1")), Neutral(prod.WithPrimary("prod-db-b1").Host("prod-db-a1")));
    }

    internal static Dictionary<string, string> Options(string cnf) =>
        cnf.Split('\n')
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .GroupBy(p => p[0].Trim())
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim());
}
