using HaInfra.Operations.Failover;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Tests;

/// <summary>The order and the conditions of the semi-sync restart; the hang itself is MariaDB's and is not reproducible on demand.</summary>
public class StuckDumpWatchTests
{
    [Fact]
    public async Task A_stuck_dump_on_a_semi_sync_primary_restarts_its_source_side_off_then_on()
    {
        var primary = new ScriptedClient(stuckHosts: ["10.254.2.2:43616"], semiSyncEnabled: "1");

        var done = await StuckDumpWatch.CheckAsync(primary, CancellationToken.None);

        Assert.Equal(["SET GLOBAL rpl_semi_sync_master_enabled = OFF", "SET GLOBAL rpl_semi_sync_master_enabled = ON"], primary.Executed);
        Assert.Contains("10.254.2.2:43616 (4 s)", done);
    }

    [Theory]
    [InlineData(false, "1")]
    [InlineData(true, "0")]
    public async Task Nothing_is_done_without_a_stuck_dump_or_without_semi_sync(bool stuck, string semiSyncEnabled)
    {
        var primary = new ScriptedClient(stuck ? ["10.254.2.2:43616"] : [], semiSyncEnabled);

        Assert.Null(await StuckDumpWatch.CheckAsync(primary, CancellationToken.None));
        Assert.Empty(primary.Executed);
    }

    [Fact]
    public async Task Only_dumps_in_starting_for_at_least_the_threshold_are_asked_for()
    {
        var primary = new ScriptedClient([], "1");

        await StuckDumpWatch.CheckAsync(primary, CancellationToken.None);

        Assert.Contains("STATE = 'starting' AND TIME >= 3", primary.Queries[0]);
    }

    private sealed class ScriptedClient(IReadOnlyList<string> stuckHosts, string semiSyncEnabled) : ISqlClient
    {
        public List<string> Executed { get; } = [];

        public List<string> Queries { get; } = [];

        public string Server => "db1";

        public Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken = default)
        {
            Executed.Add(statement.Text);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<SqlRow>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken = default)
        {
            Queries.Add(statement.Text);
            IReadOnlyList<SqlRow> rows = statement.Text.Contains("PROCESSLIST", StringComparison.Ordinal)
                ? [.. stuckHosts.Select(h => new SqlRow(new Dictionary<string, object?> { ["HOST"] = h, ["TIME"] = 4 }))]
                : statement.Text.Contains("@@version", StringComparison.Ordinal)
                    ? [new SqlRow(new Dictionary<string, object?> { ["v"] = "10.11.19-MariaDB-0+deb12u1" })]
                    : [new SqlRow(new Dictionary<string, object?> { ["v"] = semiSyncEnabled })];
            return Task.FromResult(rows);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
