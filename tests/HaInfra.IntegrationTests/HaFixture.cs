using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Load;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.IntegrationTests;

/// <summary>The HA drills share one prod stack and run one after another (they change its roles).</summary>
[CollectionDefinition(Name)]
public sealed class HaDrills : ICollectionFixture<HaProdServers>
{
    public const string Name = "ha";
}

/// <summary>
/// The prod stack realized locally (six servers, three semi-sync same-city replicas, two async DR replicas), its
/// HAProxy endpoint, and what the HA drills need (<see cref="HaStackServers"/>).
/// </summary>
public sealed class HaProdServers() : HaStackServers("prod");

/// <summary>
/// A stack realized locally with its HAProxy endpoint, and what the HA drills need: the live primary, a writer through
/// the endpoint, a check of every acknowledged write on every server, and a way back to a healthy topology between tests.
/// </summary>
public abstract class HaStackServers(string stack) : LocalStackFixture(stack)
{
    public string Primary => Target.Topology.Primary.Name;

    public long Term => Target.Terms.Read().Current?.Term ?? 0;

    public RoleChangeContext RoleChange(IStepLog? log = null) => Target.RoleChange(log ?? Log);

    /// <summary>Every server running and replicating from the live primary, former primaries rejoined.</summary>
    public async Task HealAsync()
    {
        try
        {
            await NewTarget(Topology).UpAsync();
        }
        catch (OperationFailedException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{await DescribeAsync()}", e);
        }

        var status = (await Target.StatusAsync())!.Value.Report;
        Assert.True(status.Healthy, string.Join("; ", status.Hosts.SelectMany(h => h.Problems.Select(p => $"{h.Host.Name}: {p}"))));
    }

    /// <summary>No running server holds a transaction the live primary lacks (nothing forked).</summary>
    public async Task AssertConvergedAsync(string when)
    {
        // Replicas first, the primary last: whatever a replica holds, the primary had before.
        var primary = Primary;
        var states = new Dictionary<string, Model.Gtids.GtidPosition>(StringComparer.Ordinal);
        foreach (var host in Topology.Hosts.Where(h => h.Name != primary))
        {
            try
            {
                states[host.Name] = Model.Gtids.GtidPosition.Parse(await ScalarAsync(host.Name, "SELECT @@gtid_binlog_state"));
            }
            catch (SqlOperationException e) when (e.IsConnectionFailure)
            {
                // Not running.
            }
        }

        var ours = Model.Gtids.GtidPosition.Parse(await ScalarAsync(primary, "SELECT @@gtid_binlog_state"));
        foreach (var (host, theirs) in states)
        {
            var errant = theirs.NotIn(ours);
            Assert.True(errant.IsEmpty, $"{when}: {host} holds {errant}, which the primary {primary} lacks ({ours})");
        }
    }

    /// <summary>A writer through the endpoint until <paramref name="stop"/> is cancelled; one write every 2 ms.</summary>
    public async Task<Task<WriteReport>> StartWriterAsync(string name, CancellationToken stop)
    {
        var endpoint = await Target.AppEndpointAsync(CancellationToken.None);
        var writer = new AckedWriter(new Operations.Sql.ServerConnector(), endpoint, name);
        var run = Task.Run(() => writer.RunAsync(TimeSpan.FromMilliseconds(2), ct: stop));
        await Task.Delay(500, CancellationToken.None);
        return run;
    }

    /// <summary>Every acknowledged write on every running server, exactly once.</summary>
    public async Task AssertEveryAcknowledgedWriteEverywhereAsync(WriteReport report, int expectedServers)
    {
        Assert.True(report.Acked.Count > 50, $"the writer acknowledged only {report.Acked.Count} writes (last error: {report.LastError})");
        var checks = await Target.CheckWritesAsync(report);
        Assert.Equal(expectedServers, checks.Count);
        foreach (var check in checks)
        {
            Assert.True(check.Missing.Count == 0, $"{check.Server} lacks {check.Missing.Count} acknowledged writes: {string.Join(", ", check.Missing.Take(10))}");
            Assert.Equal(0, check.Duplicates);
        }

        Assert.True(checks.Select(c => c.Checksum).Distinct().Count() == 1,
            $"the drill table's checksums differ: {string.Join(", ", checks.Select(c => $"{c.Server} {c.Checksum}"))}");
    }

    private static readonly string[] ChannelColumns = ["Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Gtid_IO_Pos", "Last_IO_Error", "Last_SQL_Error"];

    /// <summary>The term store and every server's latest term and role, for failure messages.</summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string> { $"store: {Target.Terms.Read().Current}" };
        foreach (var host in Topology.Hosts)
        {
            try
            {
                await using var client = await ConnectAsync(host.Name);
                lines.Add($"{host.Name}: latest {await TermTable.LatestAsync(client, CancellationToken.None)}; read_only={await client.ScalarAsync("SELECT @@read_only")}; " +
                    $"binlog_state={await client.ScalarAsync("SELECT @@gtid_binlog_state")}; {await ReplicaStateAsync(host.Name)}");
            }
            catch (SqlOperationException e)
            {
                lines.Add($"{host.Name}: {e.Message}");
            }
        }

        lines.AddRange(Log.Lines.TakeLast(40));
        return string.Join("\n", lines);
    }

    /// <summary>A replica's channel in one line, for failure messages.</summary>
    public async Task<string> ReplicaStateAsync(string host)
    {
        await using var client = await ConnectAsync(host);
        var row = await client.QuerySingleAsync("SHOW SLAVE STATUS");
        var prefix = $"[store: {Target.Terms.Read().Current}; read_only={await client.ScalarAsync("SELECT @@read_only")}; server_id={await client.ScalarAsync("SELECT @@server_id")}] ";
        return prefix + (row is null ? "no channel" : string.Join(", ", ChannelColumns.Select(c => $"{c}={row.Text(c)}")) + $", gtid_slave_pos={await client.ScalarAsync("SELECT @@gtid_slave_pos")}");
    }

    /// <summary>Running servers that accept writes (read_only OFF); stopped servers count as none.</summary>
    public async Task<int> WritableServersAsync()
    {
        var writable = 0;
        foreach (var host in Topology.Hosts)
        {
            try
            {
                writable += await ScalarAsync(host.Name, "SELECT @@read_only") == "0" ? 1 : 0;
            }
            catch (Operations.Sql.SqlOperationException e) when (e.IsConnectionFailure)
            {
                // Not running: it takes no writes.
            }
        }

        return writable;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(50);
        }
    }

    public Host Replica(Func<Host, bool> where) => Target.Topology.Replicas.First(where);

    /// <summary>What an operator's acknowledgement of the last automatic failover does: the anti-flap window starts over.</summary>
    public Task ClearAntiFlapAsync() => Target.Terms.UpdateAsync(s => s with { LastAutomaticFailover = null });

    /// <summary>Runs monitors until the term moves past <paramref name="term"/> (or the timeout); returns what each saw.</summary>
    public async Task<List<MonitorTick>[]> MonitorUntilNewTermAsync(long term, TimeSpan timeout, params FailoverMonitor[] monitors)
    {
        using var stop = new CancellationTokenSource(timeout);
        var ticks = monitors.Select(_ => new List<MonitorTick>()).ToArray();
        await Task.WhenAll(monitors.Select((m, i) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Term == term)
            {
                try
                {
                    ticks[i].Add(await m.TickAsync(stop.Token));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The timeout ended a tick half way (a probe still connecting): the run is over, as between ticks.
                    break;
                }

                await Task.Delay(Topology.Failover.CheckInterval, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        })));
        return ticks;
    }
}
