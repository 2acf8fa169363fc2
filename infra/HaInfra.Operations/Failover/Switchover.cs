using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>What a role change did: the new term, and how long writes were refused (from the fence to the endpoint's move).</summary>
public sealed record RoleChangeResult(TermRecord Term, TimeSpan Elapsed, TimeSpan WriteGap, IReadOnlyList<string> Warnings);

/// <summary>
/// A planned switchover, as ordered, named, logged steps under one deadline: check, claim, fence, catch-up, promote,
/// repoint, term, endpoint, verify. Until the term step the old primary's history is untouched, so any failure or
/// the deadline rolls back to it, writable again; from the term step on, the new primary is writable and the change
/// completes (a replica that cannot be repointed is reported, not rolled back). The cluster is never left without a
/// writable primary by this code.
/// </summary>
public sealed class Switchover
{
    private readonly RoleChangeContext _ctx;

    /// <summary>Called before each named step; tests use it to break a step on purpose.</summary>
    public Func<string, Task>? BeforeStep { get; init; }

    public Switchover(RoleChangeContext ctx) => _ctx = ctx;

    public async Task<RoleChangeResult> RunAsync(string? to, TimeSpan deadline, string owner, CancellationToken ct = default)
    {
        try
        {
            return await RunStepsAsync(to, deadline, owner, ct);
        }
        catch (StepFailedException e)
        {
            throw e.Stopped("switchover");
        }
    }

    private async Task<RoleChangeResult> RunStepsAsync(string? to, TimeSpan deadline, string owner, CancellationToken ct = default)
    {
        using var run = new RoleChangeRun("switchover", deadline, _ctx.Log, ct);
        var warnings = new List<string>();

        // check: the live primary, the candidate, and every rule, before anything is written.
        var plan = await run.StepAsync("check", async token =>
        {
            var state = await _ctx.Terms.ReadAsync(token);
            var stored = LivePrimary.Decide(_ctx.Topology, state.Current, new Dictionary<string, TermRecord?>()).Primary.Name;
            var views = await ClusterProbe.ReadAsync(_ctx.Topology, _ctx.Connector, _ctx.Admin, ClusterProbe.DefaultTimeout, token, last: stored);
            var decision = LivePrimary.Decide(_ctx.Topology, state.Current, views.ToDictionary(v => v.Key, v => v.Value.Term, StringComparer.Ordinal));
            var live = _ctx.Topology.WithPrimary(decision.Primary.Name);
            var primary = views[live.Primary.Name];
            if (primary.Snapshot is not { } p || p.ReadOnly)
            {
                throw new OperationFailedException(
                    $"the primary {live.Primary.Name} is {(primary.Snapshot is null ? $"not reachable ({primary.Error})" : "read-only")}; a switchover needs a live primary to hand over from.",
                    $"if {live.Primary.Name} is down, fail over instead (local failover); if it is only read-only, run local up.");
            }

            var choice = CandidateChoice.ForSwitchover(live, views, _ctx.Topology.Failover, to);
            if (choice.Chosen is not { } candidate)
            {
                throw new OperationFailedException(
                    $"no host may take over from {live.Primary.Name}:\n    {string.Join("\n    ", choice.Rejected)}",
                    "fix what is named (start replication, let the replica catch up, reseed a replica with errant transactions), then switch over again.");
            }

            var unreachable = views.Values.Where(v => !v.Reachable).Select(v => v.Name).ToList();
            if (unreachable.Count > 0)
            {
                warnings.Add($"{string.Join(", ", unreachable)} not reachable: repointed when back (local up, or local rejoin).");
                run.Warn(warnings[^1]);
            }

            return (new Plan(live, views, state, candidate), $"{live.Primary.Name} (term {decision.Term?.Term ?? 0}) -> {candidate.Name}: {choice.Why}");
        });

        var live = plan.Live;
        var oldName = live.Primary.Name;
        var newName = plan.Candidate.Name;
        var dialect = ServerDialects.For(plan.Views[oldName].Snapshot!.Flavor, plan.Views[oldName].Snapshot!.Version);
        await using var servers = await ServerSet.ConnectAsync(
            _ctx.Connector, plan.Views.Values.Where(v => v.Reachable).ToDictionary(v => v.Name, v => _ctx.Admin[v.Name], StringComparer.Ordinal), run.Token);
        var old = servers[oldName];
        var candidate = servers[newName];
        var others = live.Replicas.Where(r => r.Name != newName && servers.Contains(r.Name)).ToList();

        // An active-passive flip: the candidate already replicates from the old active and the old active from it (the
        // ring), so neither writer is repointed; the other replicas follow the new active.
        var pairFlip = ActivePassivePair.PartnerOf(live, oldName)?.Name == newName;

        await Before("claim");
        var claimed = await run.StepAsync("claim", async token =>
        {
            var now = DateTimeOffset.UtcNow;
            var pending = PendingChange.Mine("switchover", oldName, newName, owner, now, deadline);
            var updated = plan.State.IsBusy(now) ? null : await _ctx.Terms.TryUpdateAsync(plan.State.Version, s => s with { Pending = pending }, token);
            if (updated is null)
            {
                var current = await _ctx.Terms.ReadAsync(token);
                throw new OperationFailedException(
                    $"another role change holds {_ctx.Terms.Describe}: {Describe(current.Pending)}.",
                    "wait for it to finish (its deadline bounds it), then check local status.");
            }

            return (updated, $"{_ctx.Terms.Describe}: {pending.Operation} {oldName} -> {newName} until {pending.Expires:HH:mm:ss}Z");
        });

        var fencedAt = TimeSpan.Zero;
        var promoted = false;
        var repointed = new List<string>();
        try
        {
            await Before("fence");
            var fenced = await run.StepAsync("fence", async token =>
            {
                await _ctx.Endpoint.DetachAsync(oldName, token);
                fencedAt = run.Elapsed;
                var killed = await ServerRoles.FenceWritesAsync(old, TimeSpan.FromSeconds(Math.Min(5, run.Remaining.TotalSeconds / 2)), token);
                var position = GtidPosition.Parse(await old.ScalarAsync("SELECT @@gtid_binlog_pos", token));
                return (position, $"{oldName}: endpoint detached, read-only, {killed} client session(s) killed; its last GTID is '{position}'");
            });

            await Before("catch-up");
            await run.StepAsync("catch-up", async token =>
            {
                if (!await ServerRoles.WaitAppliedAsync(candidate, fenced, run.Remaining, token))
                {
                    throw new OperationFailedException($"{newName} did not apply '{fenced}' within the deadline.", "check its replication (local status).");
                }

                return $"{newName} applied everything {oldName} wrote ('{fenced}')";
            });

            await Before("promote");
            await run.StepAsync("promote", async token =>
            {
                if (pairFlip)
                {
                    var pairSemiSync = await ServerRoles.EnableSemiSyncSourceAsync(candidate, live.WithPrimary(newName), [.. others.Select(o => o.Name), oldName], dialect, token);
                    return $"{newName}: keeps replicating from {oldName} (the pair's ring); {pairSemiSync} (still read-only)";
                }

                await ServerRoles.DetachFromSourceAsync(candidate, dialect, hadChannel: true, token);
                promoted = true;
                var semiSync = await ServerRoles.EnableSemiSyncSourceAsync(candidate, live.WithPrimary(newName), [.. others.Select(o => o.Name), oldName], dialect, token);
                return $"{newName}: replication stopped and reset; {semiSync} (still read-only)";
            });

            var next = live.WithPrimary(newName);
            await Before("repoint");
            await run.StepAsync("repoint", async token =>
            {
                var source = _ctx.SourceFor(newName);
                var sourceState = Model.Gtids.GtidPosition.Parse(await servers[newName].ScalarAsync("SELECT @@gtid_binlog_state", token));
                var targets = others.Select(o => o.Name).Concat(pairFlip ? Enumerable.Empty<string>() : [oldName]).ToList();
                var demoted = pairFlip
                    ? [$"{oldName} {await PairRing.DemoteAsync(old, source, sourceState, next.SiteOf(next.Host(oldName)).Mode == ReplicationMode.SemiSync, dialect, token)}"]
                    : Array.Empty<string>();
                var done = await Task.WhenAll(targets.Select(async name =>
                {
                    var line = await ServerRoles.FollowAsync(servers[name], source, sourceState, next.SiteOf(next.Host(name)).Mode == ReplicationMode.SemiSync, dialect, token);
                    lock (repointed)
                    {
                        repointed.Add(name);
                    }

                    return $"{name} {line}";
                }));
                var clients = await WaitSemiSyncClientsAsync(candidate, next, token);
                return string.Join("; ", demoted.Concat(done)) + clients;
            });
        }
        catch (StepFailedException failure)
        {
            await RollbackAsync(run, failure, plan, servers, dialect, promoted, repointed, claimed, pairFlip);
            throw new OperationFailedException(
                $"switchover {oldName} -> {newName} failed at step '{failure.Step}': {failure.Problem}; rolled back: {oldName} is the writable primary again (term unchanged).",
                "fix the cause named above, then switch over again.");
        }

        // From here the new primary's history begins: no rollback, the change completes.
        var term = await run.StepAsync("term", async token =>
        {
            var next = new TermRecord((claimed.Current?.Term ?? 0) + 1, newName, plan.Views[newName].Snapshot!.ServerId, TermRecord.Switchover, oldName, "", default);
            var record = await PrimaryRole.TakeTermAsync(candidate, next, _ctx.Terms, automatic: false, token);
            return (record, $"{record} written on {newName}, which is writable");
        });

        var gap = TimeSpan.Zero;
        await run.StepAsync("endpoint", async token =>
        {
            await _ctx.Endpoint.RouteWritesToAsync(newName, term.Term, token);
            gap = run.Elapsed - fencedAt;
            return $"{_ctx.Endpoint.Describe}: writes go to {newName} (writes were refused for {gap.TotalSeconds:0.000} s)";
        });

        await VerifyAsync(run, servers, newName, pairFlip ? [.. repointed, oldName] : repointed, warnings);
        return new RoleChangeResult(term, run.Elapsed, gap, warnings);
    }

    private async Task RollbackAsync(
        RoleChangeRun run, StepFailedException failure, Plan plan, ServerSet servers, ReplicationDialect dialect,
        bool promoted, List<string> repointed, TermState claimed, bool pairFlip)
    {
        var oldName = plan.Live.Primary.Name;
        var newName = plan.Candidate.Name;
        run.Warn($"step '{failure.Step}' failed: {failure.Problem}. Rolling back to {oldName}.");
        var token = run.RollbackToken;
        var steps = new List<string>();
        var old = servers[oldName];

        // The old primary first: it must be writable again whatever else fails below.
        if (repointed.Contains(oldName))
        {
            await ServerRoles.DetachFromSourceAsync(old, dialect, hadChannel: true, token);
        }

        var oldSnapshot = await ServerProbe.ReadAsync(old, token);
        await PrimaryRole.EnsureAsync(old, oldSnapshot, plan.Live.PrimaryWaitsForSemiSync, dialect, new Logging.MemoryStepLog(), token);
        await _ctx.Endpoint.RouteWritesToAsync(oldName, claimed.Current?.Term ?? 0, token);
        steps.Add($"{oldName} writable and behind the endpoint again");

        var source = _ctx.SourceFor(oldName);
        var sourceState = oldSnapshot.BinlogState;
        var back = repointed.Where(r => r != oldName).ToList();
        if (promoted && !back.Contains(newName))
        {
            back.Add(newName);
        }

        foreach (var name in back)
        {
            try
            {
                await ServerRoles.FollowAsync(servers[name], source, sourceState, plan.Live.SiteOf(plan.Live.Host(name)).Mode == ReplicationMode.SemiSync, dialect, token);
                steps.Add($"{name} follows {oldName} again");
            }
            catch (SqlOperationException e)
            {
                steps.Add($"{name} could not be repointed ({e.Message}): run local up once it is back");
            }
        }

        if (pairFlip)
        {
            // The passive kept its channel from the old active (the ring); only the promote step's flags are undone.
            try
            {
                var candidate = await ServerProbe.ReadAsync(servers[newName], token);
                var flags = await ServerRoles.EnsureReplicaFlagsAsync(servers[newName], candidate, plan.Live.SiteOf(plan.Live.Host(newName)).Mode == ReplicationMode.SemiSync, dialect, token);
                steps.Add($"{newName} stays the passive{(flags.Count == 0 ? "" : $" ({string.Join(", ", flags)})")}");
            }
            catch (SqlOperationException e)
            {
                steps.Add($"{newName}: {e.Message}");
            }
        }

        if (!promoted && !back.Contains(newName))
        {
            try
            {
                await servers[newName].ExecuteAsync(dialect.StartReplica, token);
            }
            catch (SqlOperationException e) when (e.Error is not SqlError.SlaveMustStop)
            {
                steps.Add($"{newName}: {e.Message}");
            }
        }

        await _ctx.Terms.UpdateAsync(s => s with { Pending = null }, CancellationToken.None);
        run.Log("rollback", string.Join("; ", steps));
    }

    private static async Task VerifyAsync(RoleChangeRun run, ServerSet servers, string primary, List<string> replicas, List<string> warnings)
    {
        try
        {
            await run.StepAsync("verify", async token =>
            {
                var position = GtidPosition.Parse(await servers[primary].ScalarAsync("SELECT @@gtid_binlog_pos", token));
                var late = new List<string>();
                foreach (var replica in replicas)
                {
                    if (!await ServerRoles.WaitAppliedAsync(servers[replica], position, TimeSpan.FromSeconds(Math.Max(1, run.Remaining.TotalSeconds)), token))
                    {
                        late.Add(replica);
                    }
                }

                return late.Count == 0
                    ? $"{string.Join(", ", replicas)} replicate from {primary} and have its term row ('{position}')"
                    : throw new OperationFailedException($"{string.Join(", ", late)} did not receive '{position}' in time", "check local status");
            });
        }
        catch (StepFailedException e)
        {
            warnings.Add($"verify: {e.Problem} (the switchover itself is complete).");
            run.Warn(warnings[^1]);
        }
    }

    private static async Task<string> WaitSemiSyncClientsAsync(ISqlClient primary, Topology next, CancellationToken ct)
    {
        if (!next.PrimaryWaitsForSemiSync)
        {
            return "";
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var status = await primary.VariablesAsync("STATUS", ["Rpl_semi_sync_master_clients"], ct);
            if (status.GetValueOrDefault("Rpl_semi_sync_master_clients") is { } n && n != "0")
            {
                return $"; {n} semi-sync replica(s) connected";
            }

            await Task.Delay(5, ct);
        }

        return "; no semi-sync replica connected within 2 s (commits wait for the timeout, then go async)";
    }

    private Task Before(string step) => BeforeStep?.Invoke(step) ?? Task.CompletedTask;

    private static string Describe(PendingChange? p) =>
        p is null ? "a change that just finished" : $"{p.Operation} {p.From} -> {p.To} by {p.Owner} since {p.Started:HH:mm:ss}Z (until {p.Expires:HH:mm:ss}Z)";

    private sealed record Plan(Topology Live, IReadOnlyDictionary<string, HostView> Views, TermState State, Host Candidate);
}
