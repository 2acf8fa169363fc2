using System.Diagnostics;
using HaInfra.Model;
using HaInfra.Operations.DisasterRecovery;
using HaInfra.Operations.Load;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

public sealed record DrillPhase(string Name, TimeSpan Took, string Detail);

/// <param name="AckedLost">Writes acknowledged to the client that no server holds at the end: the RPO as the client saw it.</param>
/// <param name="AckedLostSeconds">From the first lost acknowledgement to the last: the lost span in seconds of commits.</param>
public sealed record DrillReport(
    IReadOnlyList<DrillPhase> Phases, DrPromotionResult Promotion, long AckedTotal, long AckedLost, double AckedLostSeconds, double WriteRate,
    IReadOnlyList<ServerWriteCheck> Checks, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// `local dr drill`: the whole region-loss story on real servers, each phase timed: writes under load through the
/// endpoint; a full backup; the primary region cut off (its sites' links down) and its servers killed; the DR site
/// promoted (RPO, RTO); writes on the new primary; the lost region healed and rebuilt from the offsite copy; a
/// switchover back home; every acknowledged write checked on every server and the checksums compared. Runs on a
/// target of its own (site namespaces on): the operator's stacks are never touched.
/// </summary>
public sealed class LocalDrDrill(LocalTarget target, IStepLog log)
{
    public async Task<DrillReport> RunAsync(string drSite, TimeSpan loadTime, TimeSpan writePause, CancellationToken ct)
    {
        var phases = new List<DrillPhase>();
        var failures = new List<string>();
        var configured = target.Configured;

        await Phase(phases, "up", async () =>
        {
            var up = await target.UpAsync(ct);
            return $"{up.Servers} servers, sites in network namespaces of their own";
        });

        var endpoint = await target.AppEndpointAsync(ct);
        using var stopWriter = new CancellationTokenSource();
        var writer = new AckedWriter(new ServerConnector(), endpoint, "dr-drill");
        var writing = Task.Run(() => writer.RunAsync(writePause, ct: stopWriter.Token), CancellationToken.None);
        try
        {
            await Phase(phases, "load", async () =>
            {
                await Task.Delay(loadTime / 2, ct);
                var backup = await target.Backups()!.RunAsync("full", ct);
                await Task.Delay(loadTime / 2, ct);
                return $"writes through {endpoint} every {writePause.TotalMilliseconds:0} ms; full backup {backup} (copied offsite)";
            });

            var live = target.Topology;
            var lostSites = live.Sites.Where(s => s.Hosts.Any(live.InPrimaryRegion)).Select(s => s.Name).ToList();
            var lostHosts = live.Hosts.Where(live.InPrimaryRegion).Select(h => h.Name).ToList();
            await Phase(phases, "cut", async () =>
            {
                var state = LocalState.Load(target.Paths)!;
                foreach (var site in lostSites)
                {
                    await target.Network(state).CutAsync(site, ct);
                }

                var fence = new LocalFence(target.Paths);
                var killed = new List<string>();
                foreach (var host in lostHosts)
                {
                    killed.Add(await fence.FenceAsync(host, ct));
                }

                return $"{string.Join(", ", lostSites)} cut off (links down); {string.Join("; ", killed)}";
            });

            DrPromotionResult promotion = null!;
            await Phase(phases, "promote", async () =>
            {
                promotion = await target.DrPromoteAsync(drSite, null, (_, _) => Task.FromResult(true), null, DateTimeOffset.UtcNow, ct);
                return $"{promotion.Term}; RPO {promotion.Risk.Transactions?.ToString() ?? "unknown"} transaction(s), {promotion.Risk.Seconds?.ToString("0") ?? "?"} s; RTO {promotion.Rto.TotalSeconds:0.000} s";
            });

            await Phase(phases, "writes", async () =>
            {
                var before = writer.Acknowledged;
                await Task.Delay(loadTime / 2, ct);
                return $"{writer.Acknowledged - before} writes acknowledged by {promotion.Term.Primary} through the endpoint";
            });

            await stopWriter.CancelAsync();
            var report = await writing;

            await Phase(phases, "rebuild", async () =>
            {
                var state = LocalState.Load(target.Paths)!;
                foreach (var site in lostSites)
                {
                    await target.Network(state).HealAsync(site, ct);
                }

                var rebuilt = await target.RebuildSitesAsync(lostSites, force: true, RebuildCopy.Offsite, ct);
                return $"{string.Join(", ", rebuilt.Hosts.Select(h => h.Host))} from the {rebuilt.Copy} ({string.Join(", ", rebuilt.Hosts.Select(h => h.Backup).Distinct())}), catch-up {rebuilt.CatchUp.TotalSeconds:0.0} s";
            });

            await Phase(phases, "home", async () =>
            {
                var back = await target.SwitchoverAsync(configured.InitialPrimary.Name, null, ct);
                return $"{back.Term}; writes refused for {back.WriteGap.TotalSeconds:0.000} s";
            });

            IReadOnlyList<ServerWriteCheck> checks = [];
            await Phase(phases, "verify", async () =>
            {
                checks = await target.CheckWritesAsync(report, ct);
                return string.Join("; ", checks.Select(c => $"{c.Server}: {c.Rows} rows, {c.Missing.Count} missing"));
            });

            var lost = checks.Count == 0 ? [] : checks.First(c => c.Server == configured.InitialPrimary.Name).Missing;
            if (checks.Any(c => !c.Missing.SequenceEqual(lost)))
            {
                failures.Add("servers disagree on which acknowledged writes are missing");
            }

            if (checks.Select(c => c.Checksum).Distinct().Count() != 1)
            {
                failures.Add($"checksums differ: {string.Join(", ", checks.Select(c => $"{c.Server} {c.Checksum}"))}");
            }

            if (checks.Any(c => c.Duplicates > 0))
            {
                failures.Add("an acknowledged write is on a server more than once");
            }

            if (promotion.Risk.Transactions is not { } stated || stated < lost.Count)
            {
                failures.Add($"the promotion stated {promotion.Risk.Transactions?.ToString() ?? "an unknown number of"} lost transaction(s), but {lost.Count} acknowledged writes were lost");
            }

            var lostSeconds = lost.Count == 0 ? 0 : Span(report, lost);
            var rate = report.Acked.Count / Math.Max(0.001, (report.Ended - report.Started).TotalSeconds);
            return new DrillReport(phases, promotion, report.Acked.Count, lost.Count, lostSeconds, rate, checks, failures);
        }
        finally
        {
            await stopWriter.CancelAsync();
            await writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>The acknowledgement times of the lost ids, first to last (their commit span as the client saw it).</summary>
    private static double Span(WriteReport report, IReadOnlyList<long> lost)
    {
        var index = report.Acked.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var times = lost.Where(index.ContainsKey).Select(id => report.AckSeconds[index[id]]).ToList();
        return times.Count == 0 ? 0 : times.Max() - times.Min();
    }

    private async Task Phase(List<DrillPhase> phases, string name, Func<Task<string>> body)
    {
        var clock = Stopwatch.StartNew();
        log.Step("drill", $"phase {name} ...");
        var detail = await body();
        phases.Add(new DrillPhase(name, clock.Elapsed, detail));
        log.Step("drill", $"phase {name} done in {clock.Elapsed.TotalSeconds:0.0} s: {detail}");
    }
}
