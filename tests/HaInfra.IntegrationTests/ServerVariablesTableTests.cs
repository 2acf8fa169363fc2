using HaInfra.Operations.Backups;
using HaInfra.Operations.Planning;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The checked-in variables table against a real server: the same rows, and SET GLOBAL does what the table says.</summary>
public sealed class ServerVariablesTableTests
{
    private static readonly ServerVariables Table = ServerVariables.MariaDb;

    [MariaDbFact]
    public async Task The_table_agrees_with_the_servers_own_system_variables()
    {
        await using var server = await Scratch.StartAsync();
        await using var client = await new ServerConnector().ConnectAsync(server.Server.Admin);
        var rows = await client.QueryAsync("SELECT LOWER(VARIABLE_NAME) AS name, VARIABLE_SCOPE AS scope, READ_ONLY AS ro FROM information_schema.SYSTEM_VARIABLES");
        var live = rows.ToDictionary(r => r.Text("name")!, r => new ServerVariable(r.Text("name")!, r.Text("scope")!, r.Text("ro") == "YES"), StringComparer.Ordinal);
        var version = await client.ScalarAsync("SELECT VERSION()");

        Assert.StartsWith("10.11.", version);
        // Name, scope and read-only as the server lists them (the replica-stopped column is measured: the next test).
        var differing = Table.All.Where(v => !live.TryGetValue(v.Name, out var l) || l != v with { ReplicaStopped = false }).Select(v => $"{v} vs {live.GetValueOrDefault(v.Name)?.ToString() ?? "(absent)"}").ToList();
        var missing = live.Keys.Where(n => Table.VariableOf(n)?.Name != n).ToList();
        Assert.True(differing.Count == 0, $"the table differs from MariaDB {version}; rerun scripts/gen-server-variables: {string.Join("; ", differing.Take(10))}");
        Assert.True(missing.Count == 0, $"the server has variables the table lacks; rerun scripts/gen-server-variables: {string.Join(", ", missing.Take(10))}");
    }

    [MariaDbFact]
    public async Task A_key_the_table_calls_dynamic_takes_set_global_and_one_it_calls_restart_is_refused_as_read_only()
    {
        await using var server = await Scratch.StartAsync();
        await using var client = await new ServerConnector().ConnectAsync(server.Server.Admin);

        foreach (var (key, value) in new[] { ("max_connections", "123"), ("slave_net_timeout", "17") })
        {
            Assert.Equal(OptionEffect.Dynamic, Table.EffectOf(key));
            await client.ExecuteAsync($"SET GLOBAL {key} = {value}");
            Assert.Equal(value, await client.ScalarAsync($"SELECT @@GLOBAL.{key}"));
        }

        foreach (var (key, value) in new[] { ("innodb_buffer_pool_chunk_size", "67108864"), ("log_bin", "1"), ("ssl_ca", "'/tmp/ca.pem'") })
        {
            Assert.Equal(OptionEffect.Restart, Table.EffectOf(key));
            var error = await Assert.ThrowsAsync<SqlOperationException>(() => client.ExecuteAsync($"SET GLOBAL {key} = {value}"));
            Assert.Equal(SqlError.ReadOnlyVariable, error.Error);
        }
    }

    [MariaDbFact]
    public async Task With_replica_threads_running_a_key_measured_as_replica_stopped_is_refused_and_a_plain_dynamic_one_is_not()
    {
        await using var server = await Scratch.StartAsync();
        await using var client = await new ServerConnector().ConnectAsync(server.Server.Admin);
        // A replica connection to a port nobody listens on: its SQL thread runs, which is what the server checks.
        await client.ExecuteAsync("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, MASTER_USER='nobody', MASTER_CONNECT_RETRY=60");
        await client.ExecuteAsync("START SLAVE");
        try
        {
            Assert.Equal(OptionEffect.DynamicReplicaStopped, Table.EffectOf("slave_parallel_threads"));
            var error = await Assert.ThrowsAsync<SqlOperationException>(() => client.ExecuteAsync("SET GLOBAL slave_parallel_threads = 8"));
            Assert.Equal(SqlError.SlaveMustStop, error.Error);

            Assert.Equal(OptionEffect.Dynamic, Table.EffectOf("max_connections"));
            await client.ExecuteAsync("SET GLOBAL max_connections = 321");

            await client.ExecuteAsync("STOP SLAVE");
            await client.ExecuteAsync("SET GLOBAL slave_parallel_threads = 8");
            Assert.Equal("8", await client.ScalarAsync("SELECT @@GLOBAL.slave_parallel_threads"));
        }
        finally
        {
            await client.ExecuteAsync("STOP SLAVE");
            await client.ExecuteAsync("RESET SLAVE ALL");
        }
    }

    /// <summary>A socket-only scratch server in a temporary directory, stopped and deleted when disposed (also when the test fails).</summary>
    private sealed class Scratch : IAsyncDisposable
    {
        private readonly string _dir;

        private Scratch(string dir, ScratchServer server)
        {
            _dir = dir;
            Server = server;
        }

        public ScratchServer Server { get; }

        public static async Task<Scratch> StartAsync()
        {
            var dir = Directory.CreateTempSubdirectory("hainfra-it-vars-").FullName;
            try
            {
                return new Scratch(dir, await ScratchServer.StartAsync("variables", dir, initialize: true, CancellationToken.None));
            }
            catch
            {
                await ScratchServer.StopLeftoverAsync(dir, CancellationToken.None);
                Directory.Delete(dir, recursive: true);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Server.DisposeAsync();
            }
            finally
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
    }
}
