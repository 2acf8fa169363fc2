using HaInfra.Model;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>
/// Failover of a dead primary inside the primary region, as ordered, named, logged steps under one deadline: check,
/// claim, fence, apply, promote, repoint, term, endpoint, verify. The old primary is fenced before anything else (the
/// endpoint stops sending it writes and the environment's fence stops it), the candidate applies its whole relay log
/// before promotion, and only a host of the primary region is ever chosen. The same code runs for the monitor
/// (automatic: anti-flap window) and for an operator.
/// </summary>
public sealed class PrimaryFailover
{
    private readonly RoleChangeContext _ctx;

    public PrimaryFailover(RoleChangeContext ctx) => _ctx = ctx;

    /// <summary>Called before each named step; tests use it to break a step on purpose.</summary>
    public Func<string, Task>? BeforeStep { get; init; }

    /// <param name="automatic">Started by a monitor: refused inside the anti-flap window, and recorded as automatic.</param>
    /// <param name="expectedPrimary">The primary the caller found dead; the failover stops if the term moved on since.</param>
    public async Task<RoleChangeResult> RunAsync(string? to, TimeSpan deadline, string owner, bool automatic, string? expectedPrimary = null, CancellationToken ct = default)
    {
        try
        {
            return await RunStepsAsync(to, deadline, owner, automatic, expectedPrimary, ct);
        }
        catch (StepFailedException e)
        {
            throw e.Stopped("failover");
        }
    }

    private async Task<RoleChangeResult> RunStepsAsync(string? to, TimeSpan deadline, string owner, bool automatic, string? expectedPrimary = null, CancellationToken ct = default)
    {
        using var run = new RoleChangeRun("failover", deadline, _ctx.Log, ct);
        var warnings = new List<string>();
        var policy = _ctx.Topology.Failover;

        var plan = await run.StepAsync("check", async token =>
        {
            var views = await ClusterProbe.ReadAsync(_ctx.Topology, _ctx.Connector, _ctx.Admin, ClusterProbe.DefaultTimeout, token);
            var state = await _ctx.Terms.ReadAsync(token);
            var decision = LivePrimary.Decide(_ctx.Topology, state.Current, views.ToDictionary(v => v.Key, v => v.Value.Term, StringComparer.Ordinal));
            var live = _ctx.Topology.WithPrimary(decision.Primary.Name);
            if (expectedPrimary is not null && expectedPrimary != live.Primary.Name)
            {
                throw new OperationFailedException($"the primary is {live.Primary.Name} now, not {expectedPrimary}: another role change came first.", "nothing to do.");
            }

            // Alive is judged where clients reach the primary, as the monitor does: a server that still answers on its
            // management channel (a unix socket, an agent) but not on its address is cut off, and is failed over.
            var address = _ctx.ReplicationAddresses[live.Primary.Name];
            if (await HandshakeProbe.AliveAsync(address.Host, address.Port, TimeSpan.FromSeconds(1), token))
            {
                var alive = views[live.Primary.Name].Snapshot;
                throw new OperationFailedException(
                    $"the primary {live.Primary.Name} answers at {address.Host}:{address.Port}{(alive is null ? "" : alive.ReadOnly ? " (read-only)" : " (writable)")}; a failover replaces a dead primary only.",
                    alive?.ReadOnly == true ? "run local up to make it writable again, or local switchover to move the role." : "use local switchover to move the role.");
            }

            if (automatic && state.LastAutomaticFailover is { } last && DateTimeOffset.UtcNow - last < policy.AntiFlap)
            {
                throw new OperationFailedException(
                    $"an automatic failover already happened at {last:yyyy-MM-dd HH:mm:ss}Z, inside the anti-flap window ({policy.AntiFlap.TotalMinutes:0} min).",
                    "an operator decides now: local failover (by hand) promotes the best candidate.");
            }

            var choice = CandidateChoice.ForFailover(live, views, policy, to, ClusterProbe.TermHolders(views));
            if (choice.Chosen is not { } candidate)
            {
                throw new OperationFailedException(
                    $"{live.Primary.Name} is down and no host may be promoted:\n    {string.Join("\n    ", choice.Rejected)}",
                    "bring a host of the primary region back, or promote the DR site with the DR procedure.");
            }

            var how = views[live.Primary.Name].Reachable ? "cut off: it answers only on its management channel" : views[live.Primary.Name].Error;
            return (new Plan(live, views, state, candidate), $"{live.Primary.Name} (term {decision.Term?.Term ?? 0}) is down ({how}) -> {candidate.Name}: {choice.Why}");
        });

        var live = plan.Live;
        var oldName = live.Primary.Name;
        var newName = plan.Candidate.Name;
        var snapshot = plan.Views[newName].Snapshot!;
        var dialect = ServerDialects.For(snapshot.Flavor, snapshot.Version);
        await using var servers = await ServerSet.ConnectAsync(
            _ctx.Connector, plan.Views.Values.Where(v => v.Reachable).ToDictionary(v => v.Name, v => _ctx.Admin[v.Name], StringComparer.Ordinal), run.Token);
        var candidate = servers[newName];

        await Before("claim");
        var claimed = await run.StepAsync("claim", async token =>
        {
            var now = DateTimeOffset.UtcNow;
            var pending = PendingChange.Mine(automatic ? "automatic failover" : "failover", oldName, newName, owner, now, deadline);
            var updated = plan.State.IsBusy(now) ? null : await _ctx.Terms.TryUpdateAsync(plan.State.Version, s => s with { Pending = pending }, token);
            return updated is null
                ? throw new OperationFailedException($"another monitor or operator acted first on {_ctx.Terms.Describe}.", "nothing to do: check local status.")
                : (updated, $"{_ctx.Terms.Describe}: {pending.Operation} {oldName} -> {newName} by {owner}");
        });

        try
        {
            await Before("fence");
            await run.StepAsync("fence", async token =>
            {
                await _ctx.Endpoint.DetachAsync(oldName, token);
                var fenced = _ctx.Fence is null ? "no fence in this environment" : await _ctx.Fence.FenceAsync(oldName, token);
                return $"{oldName}: endpoint detached; {fenced}";
            });

            await Before("apply");
            await run.StepAsync("apply", token => ServerRoles.ApplyReceivedAsync(candidate, snapshot, run.Remaining, token));

            await Before("catch-up");
            await run.StepAsync("catch-up", token => CatchUpAsync(servers, plan, dialect, token));

            await Before("promote");
            await run.StepAsync("promote", async token =>
            {
                await ServerRoles.DetachFromSourceAsync(candidate, dialect, hadChannel: true, token);
                var followers = live.Replicas.Where(r => r.Name != newName && servers.Contains(r.Name)).Select(r => r.Name).ToList();
                var semiSync = await ServerRoles.EnableSemiSyncSourceAsync(candidate, live.WithPrimary(newName), followers, dialect, token);
                return $"{newName}: replication stopped and reset; {semiSync}";
            });
        }
        catch (StepFailedException failure)
        {
            await ReleaseLeaseAsync(claimed);
            throw new OperationFailedException(
                $"failover {oldName} -> {newName} failed at step '{failure.Step}': {failure.Problem}; no host was made writable (term unchanged).",
                "fix the cause named above, then run local failover (the monitor retries by itself).");
        }

        var next = live.WithPrimary(newName);
        var repointed = new List<string>();
        TermRecord term;
        try
        {
            await Before("repoint");
            await run.StepAsync("repoint", async token =>
            {
                var source = _ctx.SourceFor(newName);
                var sourceState = Model.Gtids.GtidPosition.Parse(await candidate.ScalarAsync("SELECT @@gtid_binlog_state", token));
                var lines = await Task.WhenAll(live.Replicas.Where(r => r.Name != newName && servers.Contains(r.Name)).Select(async r =>
                {
                    try
                    {
                        var line = await ServerRoles.FollowAsync(servers[r.Name], source, sourceState, next.SiteOf(next.Host(r.Name)).Mode == ReplicationMode.SemiSync, dialect, token);
                        lock (repointed)
                        {
                            repointed.Add(r.Name);
                        }

                        return $"{r.Name} {line}";
                    }
                    catch (SqlOperationException e)
                    {
                        return $"{r.Name} not repointed ({e.Message}): local rejoin {r.Name}";
                    }
                }));
                return string.Join("; ", lines);
            });

            await Before("term");
            term = await run.StepAsync("term", async token =>
            {
                var next = new TermRecord((claimed.Current?.Term ?? 0) + 1, newName, snapshot.ServerId, TermRecord.Failover, oldName, "", default);
                var record = await PrimaryRole.TakeTermAsync(candidate, next, _ctx.Terms, automatic, token);
                return (record, $"{record} written on {newName}, which is writable");
            });
        }
        catch (StepFailedException failure)
        {
            // The candidate was promoted but took no term (it died, say): nothing is writable, as before this run, and
            // its lease would keep every retry (a monitor's next tick, in this same process) waiting for its deadline.
            await ReleaseLeaseAsync(claimed);
            var moved = repointed.Count == 0 ? "" : $"; {string.Join(", ", repointed)} now replicate from {newName}, which a retry repoints";
            throw new OperationFailedException(
                $"failover {oldName} -> {newName} failed at step '{failure.Step}': {failure.Problem}; {newName} was promoted but took no term (term unchanged){moved}.",
                "run local failover again (the monitor retries by itself): it chooses among the hosts that answer.");
        }

        await run.StepAsync("endpoint", async token =>
        {
            await _ctx.Endpoint.RouteWritesToAsync(newName, term.Term, token);
            return $"{_ctx.Endpoint.Describe}: writes go to {newName}";
        });

        await run.StepAsync("verify", async token =>
        {
            var position = Model.Gtids.GtidPosition.Parse(await candidate.ScalarAsync("SELECT @@gtid_binlog_pos", token));
            var late = new List<string>();
            foreach (var replica in repointed)
            {
                if (!await ServerRoles.WaitAppliedAsync(servers[replica], position, TimeSpan.FromSeconds(Math.Max(1, run.Remaining.TotalSeconds)), token))
                {
                    late.Add(replica);
                }
            }

            if (late.Count > 0)
            {
                warnings.Add($"{string.Join(", ", late)} had not received the term row in time; check local status.");
            }

            return $"{(repointed.Count == 0 ? "no replica to check" : string.Join(", ", repointed.Except(late)) + $" replicate from {newName}")}; {oldName} rejoins with local up or local rejoin {oldName}";
        });

        return new RoleChangeResult(term, run.Elapsed, run.Elapsed, warnings);
    }

    /// <summary>
    /// A replica that may not be promoted (a DR or neverPromote host) can have received more than the candidate. Its
    /// extra transactions may be acknowledged ones, so the candidate first pulls them from it: no acknowledged write is
    /// left behind on a host that is not promoted.
    /// </summary>
    private async Task<string> CatchUpAsync(ServerSet servers, Plan plan, ReplicationDialect dialect, CancellationToken token)
    {
        var newName = plan.Candidate.Name;
        var received = CandidateChoice.Received(plan.Views[newName].Snapshot!);
        var ahead = plan.Views.Values
            .Where(v => v.Name != newName && v.Name != plan.Live.Primary.Name && v.Snapshot is not null && servers.Contains(v.Name)
                && !received.Contains(CandidateChoice.Received(v.Snapshot)))
            .OrderByDescending(v => plan.Views.Values.Count(o => o.Snapshot is not null && CandidateChoice.Received(v.Snapshot!).Contains(CandidateChoice.Received(o.Snapshot))))
            .FirstOrDefault();
        if (ahead is null)
        {
            return $"{newName} received the most; nothing to pull";
        }

        var target = CandidateChoice.Received(ahead.Snapshot!);
        var donor = servers[ahead.Name];
        if (!await ServerRoles.WaitAppliedAsync(donor, ahead.Snapshot!.Channel?.IoPos ?? Model.Gtids.GtidPosition.Empty, TimeSpan.FromSeconds(10), token))
        {
            throw new OperationFailedException($"{ahead.Name}, which received more than {newName}, did not apply its relay log.", $"check {ahead.Name}'s SQL thread.");
        }

        var candidate = servers[newName];
        var snapshot = await ServerProbe.ReadAsync(candidate, token);
        var donorState = Model.Gtids.GtidPosition.Parse(await donor.ScalarAsync("SELECT @@gtid_binlog_state", token));
        await ServerRoles.FollowAsync(candidate, _ctx.SourceFor(ahead.Name), donorState, semiSyncReplica: false, dialect, token);
        if (!await ServerRoles.WaitAppliedAsync(candidate, target, TimeSpan.FromSeconds(10), token))
        {
            throw new OperationFailedException($"{newName} could not pull '{target}' from {ahead.Name}.", $"check {newName}'s replication from {ahead.Name}.");
        }

        return $"{newName} pulled what only {ahead.Name} had ('{received}' -> '{target}')";
    }

    private Task Before(string step) => BeforeStep?.Invoke(step) ?? Task.CompletedTask;

    /// <summary>Gives up this run's lease (only if it is still this run's), so that a retry may act at once.</summary>
    private async Task ReleaseLeaseAsync(TermState claimed) =>
        await _ctx.Terms.UpdateAsync(s => s.Pending == claimed.Pending ? s with { Pending = null } : s, CancellationToken.None);

    private sealed record Plan(Topology Live, IReadOnlyDictionary<string, HostView> Views, TermState State, Host Candidate);
}
