using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Local;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The local stack with backups (a full backup allowed to be 12.5 s old) and monitoring: exporters and Prometheus.</summary>
public sealed class MonitoredLocalServers() : LocalStackFixture("local")
{
    // A full backup every 10 s: the full-backup alert's limit is 10 s plus a quarter for the run. No scheduler runs
    // here, so only the backups the test takes count.
    protected override Topology Adjust(Topology topology) => BackedUpLocalServers.WithBackups(topology, BackedUpLocalServers.EveryTenSeconds);

    protected override async Task RealizeAsync() => await Target.UpAsync(new SeedOptions(), monitoring: true);

    public LocalMonitoring Monitoring => Target.Monitoring(LocalState.Load(Target.Paths)!);

    public LocalBackups Backups => Target.Backups()!;
}

/// <summary>
/// Real faults on real servers, seen by the real exporters and Prometheus evaluating the stack's rendered rules: each
/// alert fires within its rule's <c>for:</c> plus two scrape/evaluation intervals and 5 s, carries what the
/// operator needs (the replica's SQL error text), and resolves once the fault is fixed.
/// </summary>
public sealed class MonitoringTests(MonitoredLocalServers stack) : IClassFixture<MonitoredLocalServers>
{
    private static readonly TimeSpan Slack = (LocalMonitoring.Interval * 2) + TimeSpan.FromSeconds(5);

    [MonitoringFact]
    public async Task Sql_thread_error_semi_sync_fallback_and_an_old_backup_fire_their_alerts_and_resolve_when_fixed()
    {
        var monitoring = stack.Monitoring;
        Assert.True(monitoring.IsRunning);
        // The failover monitor, in-process (a daemon would load the stack file, not this test's ports): it writes the
        // replication error text and errant GTIDs the rules read.
        using var stop = new CancellationTokenSource();
        var ctx = stack.Target.RoleChange();
        var monitor = new FailoverMonitor(ctx, "monitoring-test", stack.Target.ClusterMetrics(ctx));
        var watching = monitor.RunAsync(stop.Token);
        try
        {
            await stack.Backups.RunAsync("full", CancellationToken.None);
            var backedUp = Stopwatch.StartNew();
            await WaitForAsync(monitoring, TimeSpan.FromSeconds(20), alerts => !alerts.Any(a => a.State == "firing" && a.Name != "HaInfraFailoverMonitorDown"),
                "no alert firing on the healthy stack");

            // Three faults at once: a transaction on db2 that the primary then repeats (db2's SQL thread stops with an
            // error, and db2 holds an errant GTID); semi-sync off on the primary; and the backup ages past its limit.
            await stack.ExecuteAsync("db2", "CREATE DATABASE monitoring_errant");
            await stack.ExecuteAsync("db1", "CREATE DATABASE monitoring_errant");
            await stack.ExecuteAsync("db1", "SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            var faults = Stopwatch.StartNew();

            var semiSync = await WaitForAsync(monitoring, TimeSpan.FromSeconds(10) + Slack, alerts => Firing(alerts, "HaInfraSemiSyncFellBackToAsync", "db1"),
                "HaInfraSemiSyncFellBackToAsync on db1");
            var sql = await WaitForAsync(monitoring, TimeSpan.FromSeconds(30) + Slack - faults.Elapsed, alerts => Firing(alerts, "HaInfraReplicaSqlThreadStopped", "db2"),
                "HaInfraReplicaSqlThreadStopped on db2");
            var sqlAlert = sql.Single(a => a.Name == "HaInfraReplicaSqlThreadStopped");
            Assert.Contains("GTID", sqlAlert.Error ?? "(no error annotation)");
            // The backup was taken before the faults, so its alert is due by now or within its limit and the slack.
            var full = await WaitForAsync(monitoring, Max(TimeSpan.FromSeconds(12.5) + Slack - backedUp.Elapsed, TimeSpan.FromSeconds(1)),
                alerts => Firing(alerts, "HaInfraFullBackupTooOld", null), "HaInfraFullBackupTooOld");
            Assert.True(backedUp.Elapsed > TimeSpan.FromSeconds(12), $"the backup-age alert fired {backedUp.Elapsed.TotalSeconds:0.0} s after the backup, before its 12 s limit");
            Assert.Contains(full, a => a.Name == "HaInfraFullBackupTooOld" && a.Summary.Contains("the schedule allows 12s", StringComparison.Ordinal));
            Assert.NotNull(semiSync);

            // Fixed: semi-sync back on, a new full backup, db2 rebuilt from the primary (its errant transaction discarded).
            await stack.ExecuteAsync("db1", "SET GLOBAL rpl_semi_sync_master_enabled = ON");
            await stack.Backups.RunAsync("full", CancellationToken.None);
            await stack.Target.ReseedAsync("db2", new SeedOptions(), force: true);
            await WaitForAsync(monitoring, TimeSpan.FromSeconds(30), alerts =>
                !alerts.Any(a => a.Name is "HaInfraSemiSyncFellBackToAsync" or "HaInfraReplicaSqlThreadStopped" or "HaInfraFullBackupTooOld"),
                "the three alerts resolved");
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await watching;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool Firing(IReadOnlyList<ActiveAlert> alerts, string name, string? host) =>
        alerts.Any(a => a.Name == name && a.State == "firing" && (host is null || a.Host == host));

    private static async Task<IReadOnlyList<ActiveAlert>> WaitForAsync(
        LocalMonitoring monitoring, TimeSpan within, Func<IReadOnlyList<ActiveAlert>, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ActiveAlert> alerts = [];
        while (clock.Elapsed < within)
        {
            alerts = await monitoring.AlertsAsync(CancellationToken.None);
            if (done(alerts))
            {
                return alerts;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"not within {within.TotalSeconds:0.0} s: {what}; alerts now: " +
            string.Join("; ", alerts.Select(a => $"{a.Name} {a.State} {a.Host}")));
        return alerts;
    }
}
