using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>What one round of the monitor saw and did.</summary>
public sealed record MonitorTick(string Primary, PrimaryHealth Health, string Why, RoleChangeResult? Failover = null, string? Refused = null);

/// <summary>
/// Watches the live primary and fails over when it is dead. Every check interval it probes the primary where
/// clients reach it (<see cref="HandshakeProbe"/>); after <c>failureCount</c> failures in a row it asks every
/// replica whether its IO thread still hears the primary (<see cref="FailureDetector"/>). A dead primary is failed
/// over automatically when the stack allows it and no automatic failover happened inside the anti-flap window; the
/// term store's compare-and-set makes sure that of several monitors watching the same failure exactly one acts.
/// </summary>
public sealed class FailoverMonitor
{
    private readonly RoleChangeContext _ctx;
    private readonly string _id;
    private readonly Monitoring.ClusterMetrics? _metrics;
    private readonly Galera.GaleraDrWatch? _galeraDr;
    private readonly SideJob _metricsRound = new(MetricsInterval);
    private readonly SideJob _dumpWatch = new(MetricsInterval);
    private string? _watching;
    private int _failures;
    private string? _lastSaid;
    private string? _refusal;
    private DateTimeOffset _retryAt;

    /// <summary>After a refused failover, how long the monitor waits before it tries again (and logs again only if the reason changed).</summary>
    private static readonly TimeSpan RetryAfterRefusal = TimeSpan.FromSeconds(5);

    /// <summary>How often the monitor writes its textfile metrics (when it has somewhere to write them).</summary>
    public static readonly TimeSpan MetricsInterval = TimeSpan.FromSeconds(2);

    /// <param name="metrics">Where the monitor reports what it sees for the alert rules; null writes nothing.</param>
    /// <param name="galeraDr">For a Galera stack with a DR site: its rounds keep the DR link up instead of watching a
    /// primary (a Galera cluster has no failover to make).</param>
    public FailoverMonitor(RoleChangeContext ctx, string id, Monitoring.ClusterMetrics? metrics = null, Galera.GaleraDrWatch? galeraDr = null)
    {
        _ctx = ctx;
        _id = id;
        _metrics = metrics;
        _galeraDr = galeraDr;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var policy = _ctx.Topology.Failover;
        _ctx.Log.Step("monitor", _galeraDr is null
            ? $"{_id}: watching stack '{_ctx.Topology.Stack}' every {policy.CheckInterval.TotalMilliseconds:0} ms; " +
              $"dead after {policy.FailureCount} failed probes and every replica disconnected; automatic failover {(policy.Auto ? "on" : "off")}, anti-flap {policy.AntiFlap.TotalMinutes:0} min"
            : $"{_id}: watching the DR link of Galera stack '{_ctx.Topology.Stack}' every {policy.CheckInterval.TotalMilliseconds:0} ms; " +
              $"a DR host not replicating from a Synced node for {policy.FailureCount} rounds follows another node");
        while (!ct.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            try
            {
                if (_galeraDr is null)
                {
                    await TickAsync(ct);
                }
                else if (await _galeraDr.RoundAsync(ct) is { } said)
                {
                    Say(said);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A monitor that dies protects nothing: whatever went wrong this round is logged, and the next round runs.
                Say($"round failed: {e.Message}");
            }

            StartMetricsRound(ct);

            var rest = policy.CheckInterval - (DateTimeOffset.UtcNow - started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, ct);
            }
        }
    }

    public async Task<MonitorTick> TickAsync(CancellationToken ct)
    {
        var policy = _ctx.Topology.Failover;
        var state = await _ctx.Terms.ReadAsync(ct);
        var primary = LivePrimary.Decide(_ctx.Topology, state.Current, new Dictionary<string, TermRecord?>()).Primary.Name;
        if (primary != _watching)
        {
            _watching = primary;
            _failures = 0;
            _refusal = null;
            Say($"watching {primary} (term {state.Current?.Term ?? 0})");
        }

        if (state.IsBusy(DateTimeOffset.UtcNow))
        {
            return new MonitorTick(primary, PrimaryHealth.Suspect, $"a role change is under way ({state.Pending!.Operation} by {state.Pending.Owner}); not probing");
        }

        var address = _ctx.ReplicationAddresses[primary];
        var alive = await HandshakeProbe.AliveAsync(address.Host, address.Port, policy.CheckInterval, ct);
        _failures = alive ? 0 : _failures + 1;
        var reports = _failures >= policy.FailureCount ? await AskReplicasAsync(primary, ct) : [];
        var (health, why) = FailureDetector.Judge(_failures, policy.FailureCount, reports);
        if (health == PrimaryHealth.Alive)
        {
            _refusal = null;
            if (_lastSaid is not null && !_lastSaid.StartsWith($"{primary} alive", StringComparison.Ordinal))
            {
                Say($"{primary} alive");
            }

            StartDumpWatch(primary, ct);
            return new MonitorTick(primary, health, why);
        }

        if (health == PrimaryHealth.Suspect)
        {
            Say($"{primary} suspect: {why}");
            return new MonitorTick(primary, health, why);
        }

        if (_refusal is not null && DateTimeOffset.UtcNow < _retryAt)
        {
            return new MonitorTick(primary, health, why, Refused: _refusal);
        }

        if (!policy.Auto)
        {
            return Refuse(primary, why, "automatic failover is off (hainfra:failover.auto); an operator runs local failover");
        }

        Say($"{primary} dead: {why}");
        try
        {
            var result = await new PrimaryFailover(_ctx).RunAsync(null, policy.Deadline, $"monitor {_id}", automatic: true, expectedPrimary: primary, ct: ct);
            Say($"failed over to {result.Term.Primary} in {result.Elapsed.TotalSeconds:0.000} s ({result.Term})");
            _failures = 0;
            _refusal = null;
            return new MonitorTick(primary, health, why, result);
        }
        catch (OperationFailedException e)
        {
            return Refuse(primary, why, e.Problem);
        }
    }

    /// <summary>
    /// Every <see cref="MetricsInterval"/>, beside the failover rounds: a semi-sync MariaDB primary's binlog dump
    /// connections stuck before their first event get its source side restarted (<see cref="StuckDumpWatch"/>).
    /// </summary>
    private void StartDumpWatch(string primary, CancellationToken ct)
    {
        if (_ctx.Topology.Flavor != Model.ServerFlavor.MariaDb || !_ctx.Topology.WithPrimary(primary).PrimaryWaitsForSemiSync)
        {
            return;
        }

        _dumpWatch.StartIfDue(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(MetricsInterval);
                await using var client = await _ctx.Connector.ConnectAsync(_ctx.Admin[primary], timeout.Token);
                if (await StuckDumpWatch.CheckAsync(client, timeout.Token) is { } done)
                {
                    Say(done);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The failover rounds judge the primary's health; this check only skips a round.
            }
        });
    }

    /// <summary>
    /// The metrics round, beside the failover rounds: its read of every server waits up to the probe timeout for a
    /// dead one.
    /// </summary>
    private void StartMetricsRound(CancellationToken ct)
    {
        if (_metrics is null)
        {
            return;
        }

        _metricsRound.StartIfDue(async () =>
        {
            try
            {
                await _metrics.WriteAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Say($"metrics not written: {e.Message}");
            }
        });
    }

    /// <summary>A dead primary the monitor may not fail over: said once per reason, tried again only after a pause.</summary>
    private MonitorTick Refuse(string primary, string why, string reason)
    {
        if (reason != _refusal)
        {
            Say($"{primary} dead: {why}");
            Say($"no failover: {reason}");
        }

        _refusal = reason;
        _retryAt = DateTimeOffset.UtcNow + RetryAfterRefusal;
        return new MonitorTick(primary, PrimaryHealth.Dead, why, Refused: reason);
    }

    private async Task<IReadOnlyList<ReplicaReport>> AskReplicasAsync(string primary, CancellationToken ct)
    {
        var address = _ctx.ReplicationAddresses[primary];
        return await Task.WhenAll(_ctx.Topology.Hosts.Where(h => h.Name != primary).Select(async h =>
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await using var client = await _ctx.Connector.ConnectAsync(_ctx.Admin[h.Name], limit.Token);
                var row = await client.QuerySingleAsync("SHOW SLAVE STATUS", limit.Token);
                var io = row?.Text("Slave_IO_Running") ?? "no channel";
                var pointsAtPrimary = row is not null && row.Text("Master_Host") == address.Host && row.Number("Master_Port") == address.Port;
                return new ReplicaReport(h.Name, true, pointsAtPrimary && io == "Yes", $"IO {io}");
            }
            catch (Exception e) when (e is SqlOperationException or OperationCanceledException)
            {
                return new ReplicaReport(h.Name, false, false, "unreachable");
            }
        }));
    }

    private void Say(string message)
    {
        if (message != _lastSaid)
        {
            _lastSaid = message;
            _ctx.Log.Step("monitor", message);
        }
    }
}
