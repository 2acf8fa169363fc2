using System.Globalization;
using HaInfra.Model;
using HaInfra.Operations.Local;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The `local` stack brought up once on real MariaDB servers; tests read it and write only data of their own.</summary>
public sealed class LocalUpTests(LocalStackServers stack) : IClassFixture<LocalStackServers>
{
    [MariaDbFact]
    public async Task After_a_write_on_the_primary_every_replica_runs_with_the_primary_gtid()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS app1", "CREATE TABLE IF NOT EXISTS app1.t (id INT PRIMARY KEY)", "INSERT INTO app1.t VALUES (1), (2), (3)");
        var primaryGtid = await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos");

        var status = await WaitHealthyAsync(primaryGtid!);

        Assert.All(status.Hosts.Where(h => h.Host.Role == HostRole.Replica), h =>
        {
            Assert.Equal(primaryGtid, h.Snapshot!.CurrentPos.ToString());
            Assert.Equal("Yes/Yes", h.ReplicationText);
        });
        Assert.Equal("3", await stack.ScalarAsync("db3", "SELECT COUNT(*) FROM app1.t"));
    }

    [MariaDbFact]
    public async Task First_up_verified_a_canary_on_every_replica()
    {
        Assert.True(stack.FirstUp.Changed);
        var verify = Assert.Single(stack.Log.Lines, l => l.StartsWith("verify: canary", StringComparison.Ordinal));
        Assert.Contains("read on db2", verify);
        Assert.Contains("db3", verify);
        var token = await stack.ScalarAsync("db1", "SELECT token FROM hainfra.canary");
        Assert.Equal(token, await stack.ScalarAsync("db2", "SELECT token FROM hainfra.canary"));
    }

    [MariaDbFact]
    public async Task Up_again_is_a_no_op_that_says_so()
    {
        var before = await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos");
        var log = new HaInfra.Operations.Logging.MemoryStepLog();

        var again = await stack.NewTarget(stack.Topology, log).UpAsync();

        Assert.False(again.Changed);
        Assert.Equal(0, again.Started);
        Assert.Equal(before, await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos"));
        Assert.Contains(log.Lines, l => l.StartsWith("verify: no changes", StringComparison.Ordinal));
    }

    [MariaDbFact]
    public async Task Replication_account_has_only_replication_slave_and_requires_tls()
    {
        await using var client = await stack.ConnectAsync("db1");
        var grants = await client.QueryAsync("SHOW GRANTS FOR 'hainfra_repl'@'127.0.0.1'");
        var grant = Assert.Single(grants).Text("Grants for hainfra_repl@127.0.0.1")!;
        Assert.StartsWith("GRANT REPLICATION SLAVE ON *.* TO `hainfra_repl`@`127.0.0.1`", grant, StringComparison.Ordinal);
        Assert.Equal("ANY", await stack.ScalarAsync("db1", "SELECT ssl_type FROM mysql.user WHERE User = 'hainfra_repl'"));

        await using var replica = await stack.ConnectAsync("db2");
        var channel = (await replica.QueryAsync("SHOW SLAVE STATUS"))[0];
        Assert.Equal("Yes", channel.Text("Master_SSL_Allowed"));
        Assert.Equal("Yes", channel.Text("Master_SSL_Verify_Server_Cert"));
        Assert.Equal("Slave_Pos", channel.Text("Using_Gtid"));
    }

    [MariaDbFact]
    public void Replication_password_is_kept_private_and_never_logged()
    {
        var paths = new LocalPaths(stack.StateRoot, "local");
        var password = File.ReadAllText(paths.ReplicationPasswordFile).Trim();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.ReplicationPasswordFile));
        Assert.DoesNotContain(stack.Log.Lines, l => l.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, File.ReadAllText(paths.StateFile), StringComparison.Ordinal);
        foreach (var host in stack.Topology.Hosts)
        {
            Assert.DoesNotContain(password, File.ReadAllText(stack.Paths(host.Name).LocalCnf), StringComparison.Ordinal);
        }
    }

    [MariaDbFact]
    public async Task Semi_sync_follows_each_site()
    {
        Assert.Equal("ON", (await Status("db1", "Rpl_semi_sync_master_status")));
        Assert.Equal("1", (await Status("db1", "Rpl_semi_sync_master_clients")));
        Assert.Equal("ON", (await Status("db2", "Rpl_semi_sync_slave_status")));
        Assert.Equal("OFF", (await Status("db3", "Rpl_semi_sync_slave_status")));
    }

    [MariaDbFact]
    public async Task Servers_run_with_the_rendered_settings_plus_only_the_overlay()
    {
        var renderer = new TemplateRenderer(TemplateCatalog.Load(RepoRoot.Templates));
        foreach (var host in stack.Topology.Hosts)
        {
            Assert.Equal(MyCnfRenderer.Render(renderer, stack.Topology, host).Text, File.ReadAllText(stack.Paths(host.Name).RenderedCnf));
            await using var client = await stack.ConnectAsync(host.Name);
            var row = (await client.QueryAsync(
                "SELECT @@server_id AS id, @@read_only AS ro, @@gtid_strict_mode AS strict, @@sync_binlog AS sync, @@log_slave_updates AS lsu, " +
                "@@innodb_flush_log_at_trx_commit AS flush, @@binlog_format AS format, @@require_secure_transport AS tls, @@innodb_buffer_pool_size AS pool"))[0];
            Assert.Equal(host.ServerId.ToString(CultureInfo.InvariantCulture), row.Text("id"));
            Assert.Equal(host.Role == HostRole.Replica ? "1" : "0", row.Text("ro"));
            Assert.Equal("1", row.Text("strict"));
            Assert.Equal("1", row.Text("sync"));
            Assert.Equal("1", row.Text("lsu"));
            Assert.Equal("1", row.Text("flush"));
            Assert.Equal("ROW", row.Text("format"));
            Assert.Equal("1", row.Text("tls"));
            Assert.Equal((64L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), row.Text("pool"));
        }
    }

    private async Task<string?> Status(string host, string name)
    {
        await using var client = await stack.ConnectAsync(host);
        var rows = await client.QueryAsync($"SHOW GLOBAL STATUS LIKE '{name}'");
        return rows.Count == 0 ? null : rows[0].Text("Value");
    }

    private async Task<HaInfra.Operations.Status.StatusReport> WaitHealthyAsync(string gtid)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = (await stack.Target.StatusAsync())!.Value.Report;
            if (status.Healthy && status.Hosts.All(h => h.Snapshot!.CurrentPos.ToString() == gtid))
            {
                return status;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"not caught up: {string.Join("; ", status.Hosts.Select(h => $"{h.Host.Name} {h.Snapshot?.CurrentPos} {string.Join(",", h.Problems)}"))}");
            await Task.Delay(100);
        }
    }
}
