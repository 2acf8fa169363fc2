using HaInfra.Model;
using HaInfra.Operations.Sql;

namespace HaInfra.IntegrationTests;

internal static class SeedHelpers
{
    /// <summary>The topology with one more replica in <paramref name="site"/>, as an operator adding a host to the stack file.</summary>
    public static Topology WithHost(Topology topology, string site, string name)
    {
        var sites = topology.Sites.Select(s => s.Name != site ? s : s with
        {
            Hosts = [.. s.Hosts, s.Hosts[0] with { Name = name, Role = HostRole.Replica, ServerId = ServerIds.Derive(name) }],
        });
        return topology with { Sites = [.. sites] };
    }

    /// <summary>About <paramref name="megabytes"/> MiB of rows in seedtest.bulk on the primary.</summary>
    public static async Task LoadBulkAsync(LocalStackFixture stack, int megabytes)
    {
        await stack.ExecuteAsync("db1",
            "CREATE DATABASE IF NOT EXISTS seedtest",
            "CREATE TABLE IF NOT EXISTS seedtest.bulk (id INT PRIMARY KEY, payload VARCHAR(1000)) ENGINE=InnoDB",
            $"INSERT IGNORE INTO seedtest.bulk SELECT seq, REPEAT(SHA2(seq, 256), 15) FROM seedtest.seq_1_to_{megabytes * 1000}");
    }

    /// <summary>Committed rows in a table, read on one host.</summary>
    public static async Task<long> CountAsync(LocalStackFixture stack, string host, string table) =>
        long.Parse((await stack.ScalarAsync(host, $"SELECT COUNT(*) FROM {table}"))!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until <paramref name="host"/> has applied everything the primary has logged.</summary>
    public static async Task CatchUpAsync(LocalStackFixture stack, string host)
    {
        var gtid = await stack.ScalarAsync("db1", "SELECT @@gtid_binlog_pos");
        Assert.Equal("0", await stack.ScalarAsync(host, $"SELECT MASTER_GTID_WAIT('{gtid}', 60)"));
    }
}

/// <summary>Writes rows on the primary in a loop until disposed: the "writes continue during the seed" load.</summary>
internal sealed class WriterLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WriterLoop(ISqlClient client) => _loop = RunAsync(client);

    public long Written { get; private set; }

    public static async Task<WriterLoop> StartAsync(LocalStackFixture stack)
    {
        var client = await stack.ConnectAsync("db1");
        await client.ExecuteAsync("CREATE DATABASE IF NOT EXISTS writes");
        await client.ExecuteAsync("CREATE TABLE IF NOT EXISTS writes.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL, note VARCHAR(64))");
        return new WriterLoop(client);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(ISqlClient client)
    {
        await using (client)
        {
            while (!_stop.IsCancellationRequested)
            {
                await client.ExecuteAsync("INSERT INTO writes.events (at, note) VALUES (NOW(6), 'during seed')");
                Written++;
                await Task.Delay(2);
            }
        }
    }
}
