using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>Bootstrap ordering and decisions against fake servers (the integration tests run the same code on real ones).</summary>
public class BootstrapTests
{
    private readonly Topology _topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "local").Topology!;
    private readonly FakeCluster _cluster = new();
    private readonly Secret _password = new("s3cret-Password-123");
    private readonly MemoryStepLog _log = new();

    public BootstrapTests()
    {
        var port = 3306;
        foreach (var host in _topology.Hosts)
        {
            _cluster.Add(host.Name, host.ServerId, port++);
        }

        Primary.SemiSyncSource = true;
        Primary.SemiSyncClients = 1;
        _cluster.Servers["db2"].SemiSyncReplica = true;
        _cluster.Servers["db2"].ReadOnly = true;
        _cluster.Servers["db3"].ReadOnly = true;
    }

    private FakeServer Primary => _cluster.Servers["db1"];

    [Fact]
    public async Task Fresh_topology_accounts_first_then_replicas_then_canary()
    {
        var result = await RunAsync();

        Assert.True(result.Changed);
        var log = _cluster.Log;
        var lastAccount = log.FindLastIndex(l => l.Contains("CREATE USER", StringComparison.Ordinal));
        var firstChange = log.FindIndex(l => l.Contains("CHANGE MASTER", StringComparison.Ordinal));
        var firstStart = log.FindIndex(l => l.EndsWith("START SLAVE", StringComparison.Ordinal));
        var canary = log.FindIndex(l => l.Contains("INSERT INTO hainfra.canary", StringComparison.Ordinal));
        Assert.Equal(3, log.Count(l => l.Contains("CREATE USER", StringComparison.Ordinal)));
        Assert.True(lastAccount < firstChange && firstChange < firstStart && firstStart < canary, string.Join("\n", log));
        Assert.All(log.Where(l => l.Contains("CHANGE MASTER", StringComparison.Ordinal)), l => Assert.Contains("MASTER_USE_GTID = slave_pos", l, StringComparison.Ordinal));
        Assert.All(_topology.Replicas, r => Assert.Equal(Primary.Port, _cluster.Servers[r.Name].Channel!.Port));
        Assert.StartsWith("db1: INSERT INTO hainfra.canary", log[canary], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_are_created_with_binary_logging_off()
    {
        await RunAsync();
        foreach (var server in _cluster.Servers.Values)
        {
            var statements = server.Statements;
            var off = statements.IndexOf("SET SESSION sql_log_bin = 0");
            var create = statements.FindIndex(s => s.StartsWith("CREATE USER", StringComparison.Ordinal));
            var on = statements.IndexOf("SET SESSION sql_log_bin = 1");
            Assert.True(off >= 0 && off < create && create < on, $"{server.Name}: {string.Join(" | ", statements)}");
        }
    }

    [Fact]
    public async Task Password_travels_only_as_a_parameter()
    {
        await RunAsync();
        Assert.DoesNotContain(_cluster.Log, l => l.Contains(_password.Reveal(), StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(_password.Reveal(), StringComparison.Ordinal));
        Assert.Contains(_password.Reveal(), _cluster.ParameterValues);
    }

    [Fact]
    public async Task Semi_sync_is_enabled_on_a_semi_sync_replica_before_it_starts()
    {
        _cluster.Servers["db2"].SemiSyncReplica = false;
        await RunAsync();
        var db2 = _cluster.Servers["db2"].Statements;
        Assert.True(db2.IndexOf("SET GLOBAL rpl_semi_sync_slave_enabled = ON") < db2.IndexOf("START SLAVE"));
        Assert.DoesNotContain("SET GLOBAL rpl_semi_sync_slave_enabled = ON", _cluster.Servers["db3"].Statements);
    }

    [Fact]
    public async Task Second_run_writes_nothing_and_says_so()
    {
        await RunAsync();
        _cluster.Log.Clear();

        var again = await RunAsync(writeCanary: false);

        Assert.False(again.Changed);
        Assert.Empty(_cluster.Writes);
        Assert.Contains(_log.Lines, l => l.StartsWith("verify: no changes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errant_replica_is_refused_before_anything_is_written()
    {
        Primary.BinlogState = GtidPosition.Parse("0-602955-10");
        _cluster.Servers["db3"].BinlogState = GtidPosition.Parse("0-602955-8,0-47684-9");

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => RunAsync());

        Assert.Contains("errant GTIDs 0-47684-9", error.Problem);
        Assert.Empty(_cluster.Writes);
    }

    [Fact]
    public async Task Replica_with_data_but_no_gtid_is_refused()
    {
        _cluster.Servers["db2"].UserTables = 4;
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => RunAsync());
        Assert.Contains("holds 4 tables but no GTID position", error.Problem);
        Assert.Empty(_cluster.Writes);
    }

    [Fact]
    public async Task Fresh_replica_is_refused_when_the_primary_purged_its_first_binlogs()
    {
        Primary.BinlogState = GtidPosition.Parse("0-602955-500");
        Primary.OldestBinlogStart = GtidPosition.Parse("0-602955-200");
        var error = await Assert.ThrowsAsync<OperationFailedException>(() => RunAsync());
        Assert.Contains("were purged", error.Problem);
        Assert.Contains("seed", error.Fix);
    }

    [Fact]
    public async Task Replica_with_a_gtid_resumes_exactly_there()
    {
        Primary.BinlogState = GtidPosition.Parse("0-602955-10");
        var db2 = _cluster.Servers["db2"];
        db2.BinlogState = GtidPosition.Parse("0-602955-7");
        db2.UserTables = 2;

        await RunAsync();

        var statements = db2.Statements;
        Assert.True(statements.IndexOf("SET GLOBAL gtid_slave_pos = @pos") < statements.FindIndex(s => s.StartsWith("CHANGE MASTER", StringComparison.Ordinal)));
        Assert.Equal("0-602955-7", db2.SlavePos.ToString());
    }

    [Fact]
    public async Task Stopped_replica_is_only_started()
    {
        await RunAsync();
        _cluster.Servers["db3"].Channel!.Running = false;
        _cluster.Log.Clear();

        await RunAsync();

        Assert.Contains("db3: START SLAVE", _cluster.Writes);
        Assert.DoesNotContain(_cluster.Writes, w => w.Contains("CHANGE MASTER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replica_stopped_on_an_sql_error_is_refused()
    {
        await RunAsync();
        _cluster.Servers["db3"].Channel!.Running = false;
        _cluster.Servers["db3"].Channel!.SqlErrno = 1062;

        var error = await Assert.ThrowsAsync<OperationFailedException>(() => RunAsync());
        Assert.Contains("stopped on error 1062", error.Problem);
    }

    [Fact]
    public async Task Crash_left_slave_pos_behind_the_binlog_resumes_from_the_binlog()
    {
        await RunAsync();
        Primary.BinlogState = GtidPosition.Parse("0-602955-6");
        var db2 = _cluster.Servers["db2"];
        db2.BinlogState = GtidPosition.Parse("0-602955-5");
        db2.SlavePos = GtidPosition.Parse("0-602955-4");
        db2.Channel!.Running = false;
        db2.Channel.SqlErrno = 1950;

        await RunAsync();

        Assert.Equal("0-602955-5", db2.SlavePos.ToString());
        Assert.True(db2.Channel!.Running);
    }

    [Fact]
    public async Task Primary_semi_sync_is_turned_on_when_a_site_needs_it()
    {
        Primary.SemiSyncSource = false;
        await RunAsync();
        Assert.Contains("db1: SET GLOBAL rpl_semi_sync_master_enabled = ON", _cluster.Writes);
    }

    [Fact]
    public async Task First_bootstrap_records_term_1_for_the_initial_primary_and_makes_it_writable()
    {
        Primary.ReadOnly = true;
        var result = await RunAsync();

        Assert.Equal(1, result.Term.Term);
        Assert.Equal("db1", result.Term.Primary);
        Assert.False(Primary.ReadOnly);
        Assert.All(_cluster.Servers.Values, s => Assert.Equal([1L], s.Terms.Select(t => t.Term)));
        var db1 = Primary.Statements;
        Assert.True(db1.IndexOf("SET GLOBAL read_only = OFF") >= 0);
    }

    [Fact]
    public async Task A_recorded_term_beats_the_config_order()
    {
        // db2 was promoted (term 2); db1, the config's first host, is back read-only with its binlog behind db2's.
        var promoted = _cluster.Servers["db2"];
        foreach (var server in _cluster.Servers.Values)
        {
            server.Terms.Add(new(2, "db2", promoted.ServerId, "failover", "db1", "0-602955-5", DateTimeOffset.UtcNow));
            server.ReadOnly = true;
        }

        Primary.BinlogState = GtidPosition.Parse("0-602955-5");
        Primary.SemiSyncSource = true;
        promoted.BinlogState = GtidPosition.Parse("0-602955-5,0-825319-7");
        promoted.SemiSyncReplica = true;
        promoted.SemiSyncClients = 1;

        var result = await RunAsync();

        Assert.Equal("db2", result.Term.Primary);
        Assert.False(promoted.ReadOnly);
        Assert.True(Primary.ReadOnly);
        Assert.Equal(promoted.Port, Primary.Channel!.Port);
        Assert.Equal(promoted.Port, _cluster.Servers["db3"].Channel!.Port);
        Assert.Null(promoted.Channel);
        Assert.False(Primary.SemiSyncSource);
        Assert.Contains("db1: SET GLOBAL rpl_semi_sync_master_enabled = OFF", _cluster.Writes);
        Assert.DoesNotContain(_cluster.Writes, w => w.StartsWith("db2: INSERT INTO hainfra.term", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stored_term_is_written_to_a_primary_that_lacks_it()
    {
        var stored = new Failover.TermRecord(4, "db1", Primary.ServerId, "switchover", "db2", "", DateTimeOffset.UtcNow);
        var result = await RunAsync(stored: stored);
        Assert.Equal(4, result.Term.Term);
        Assert.Contains(Primary.Terms, t => t.Term == 4);
    }

    private Task<BootstrapResult> RunAsync(bool writeCanary = true, Failover.TermRecord? stored = null)
    {
        var request = new BootstrapRequest(
            _topology,
            _topology.Hosts.ToDictionary(h => h.Name, h => SqlEndpoint.UnixSocket(h.Name, $"/tmp/{h.Name}.sock")),
            _topology.Hosts.ToDictionary(h => h.Name, h => new ServerAddress("127.0.0.1", _cluster.Servers[h.Name].Port)),
            new ReplicationAccount(ReplicationAccount.DefaultUser, "127.0.0.1", _password),
            TlsCaFile: null,
            TimeSpan.FromSeconds(5),
            StoredTerm: stored);
        return new ReplicationBootstrap(_cluster, _log).RunAsync(request, writeCanary);
    }
}
