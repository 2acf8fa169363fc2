using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.DisasterRecovery;

/// <param name="Site">The remote site to promote.</param>
/// <param name="ForceReason">Promote although a host of the primary region still answers; the reason is logged.</param>
/// <param name="Confirm">Shown the data at risk; false stops the promotion before it changes anything.</param>
/// <param name="CommandStarted">When the operator's command started (its process), where the RTO starts; default: now.</param>
public sealed record DrPromotionRequest(
    string Site, string? ForceReason, Func<string, CancellationToken, Task<bool>> Confirm, TimeSpan Deadline, string Owner, DateTimeOffset? CommandStarted = null);

/// <param name="Rto">Command start to the first write through the writer endpoint, the wait for confirmation excluded.</param>
public sealed record DrPromotionResult(TermRecord Term, DataAtRisk Risk, TimeSpan Rto, TimeSpan Elapsed, IReadOnlyList<string> Warnings);

/// <summary>
/// Region-loss promotion of the disaster-recovery site, by an operator only: check (the primary region answers
/// nowhere, or the operator forces it), risk (the data given up, stated before anything changes), confirm, claim,
/// fence (every host of the lost region), apply, promote, repoint (the rest of the DR site), term (a new term, so
/// the lost region's servers can never be taken for the primary when they return: they rejoin or are rebuilt),
/// endpoint, write (the first write through the writer endpoint: the RTO).
/// </summary>
public sealed class DrPromotion
{
    public const string TermKind = "dr-promotion";

    private readonly RoleChangeContext _ctx;
    private readonly IRecoveryEvidence? _evidence;
    private readonly Func<CancellationToken, Task<string>> _writeThroughEndpoint;

    public DrPromotion(RoleChangeContext ctx, IRecoveryEvidence? evidence, Func<CancellationToken, Task<string>> writeThroughEndpoint)
    {
        _ctx = ctx;
        _evidence = evidence;
        _writeThroughEndpoint = writeThroughEndpoint;
    }

    public async Task<DrPromotionResult> RunAsync(DrPromotionRequest request, CancellationToken ct = default)
    {
        try
        {
            return await RunStepsAsync(request, ct);
        }
        catch (StepFailedException e)
        {
            throw e.Stopped("DR promotion");
        }
    }

    private async Task<DrPromotionResult> RunStepsAsync(DrPromotionRequest request, CancellationToken ct)
    {
        // The deadline covers the work, not the operator reading the risk: its clock starts after the confirmation.
        var started = request.CommandStarted ?? DateTimeOffset.UtcNow;
        var warnings = new List<string>();
        using var survey = new RoleChangeRun("DR promotion", request.Deadline, _ctx.Log, ct);
        var plan = await survey.StepAsync("check", token => CheckAsync(request, warnings, token));
        var risk = await survey.StepAsync("risk", async token =>
        {
            var risk = await MeasureRiskAsync(plan, token);
            return (risk, risk.Describe());
        });

        var asked = System.Diagnostics.Stopwatch.StartNew();
        if (!await request.Confirm(risk.Describe(), ct))
        {
            throw new OperationFailedException($"DR promotion of {request.Site} not confirmed; nothing was changed.", "run it again and confirm, or pass --yes.");
        }

        var confirmWait = asked.Elapsed;
        using var run = new RoleChangeRun("DR promotion", request.Deadline, _ctx.Log, ct);
        var live = plan.Live;
        var oldName = live.Primary.Name;
        var newName = plan.Candidate.Name;
        var snapshot = plan.Views[newName].Snapshot!;
        var dialect = ServerDialects.For(snapshot.Flavor, snapshot.Version);
        var siteHosts = live.Hosts.Where(h => h.Site == request.Site && plan.Views[h.Name].Reachable).Select(h => h.Name).ToList();
        await using var servers = await ServerSet.ConnectAsync(
            _ctx.Connector, siteHosts.ToDictionary(h => h, h => _ctx.Admin[h], StringComparer.Ordinal), run.Token);
        var candidate = servers[newName];

        var claimed = await run.StepAsync("claim", async token =>
        {
            var now = DateTimeOffset.UtcNow;
            var pending = PendingChange.Mine("DR promotion", oldName, newName, request.Owner, now, request.Deadline);
            var updated = plan.State.IsBusy(now) ? null : await _ctx.Terms.TryUpdateAsync(plan.State.Version, s => s with { Pending = pending }, token);
            return updated is null
                ? throw new OperationFailedException($"another monitor or operator acted first on {_ctx.Terms.Describe}.", "check local status, then run it again.")
                : (updated, $"{_ctx.Terms.Describe}: DR promotion {oldName} -> {newName} by {request.Owner}");
        });

        var next = live.WithPrimary(newName);
        try
        {
            await run.StepAsync("fence", async token =>
            {
                var lines = new List<string>();
                foreach (var host in plan.LostRegion)
                {
                    await _ctx.Endpoint.DetachAsync(host, token);
                    lines.Add(_ctx.Fence is null ? $"{host}: endpoint detached" : await _ctx.Fence.FenceAsync(host, token));
                }

                return $"lost region ({string.Join(", ", plan.LostRegion)}) detached from the endpoint; {string.Join("; ", lines)}";
            });

            await run.StepAsync("apply", token => ServerRoles.ApplyReceivedAsync(candidate, snapshot, run.Remaining, token));

            await run.StepAsync("promote", async token =>
            {
                await ServerRoles.DetachFromSourceAsync(candidate, dialect, hadChannel: true, token);
                var followers = siteHosts.Where(h => h != newName).ToList();
                var semiSync = await ServerRoles.EnableSemiSyncSourceAsync(candidate, next, followers, dialect, token);
                return $"{newName}: replication stopped and reset; {semiSync}";
            });
        }
        catch (StepFailedException failure)
        {
            await _ctx.Terms.UpdateAsync(s => s with { Pending = null }, CancellationToken.None);
            throw new OperationFailedException(
                $"DR promotion {oldName} -> {newName} failed at step '{failure.Step}': {failure.Problem}; no host was made writable (term unchanged).",
                "fix the cause named above, then run the promotion again.");
        }

        await run.StepAsync("repoint", async token =>
        {
            var source = _ctx.SourceFor(newName);
            var sourceState = GtidPosition.Parse(await candidate.ScalarAsync("SELECT @@gtid_binlog_state", token));
            var lines = await Task.WhenAll(siteHosts.Where(h => h != newName).Select(async h =>
            {
                try
                {
                    return $"{h} {await ServerRoles.FollowAsync(servers[h], source, sourceState, next.SiteOf(next.Host(h)).Mode == ReplicationMode.SemiSync, dialect, token)}";
                }
                catch (SqlOperationException e)
                {
                    return $"{h} not repointed ({e.Message}): local rejoin {h}";
                }
            }));
            return lines.Length == 0 ? $"no other host on {request.Site}" : string.Join("; ", lines);
        });

        var term = await run.StepAsync("term", async token =>
        {
            var record = new TermRecord((claimed.Current?.Term ?? 0) + 1, newName, snapshot.ServerId, TermKind, oldName, "", default);
            var taken = await PrimaryRole.TakeTermAsync(candidate, record, _ctx.Terms, automatic: false, token);
            return (taken, $"{taken} written on {newName}, which is writable; the lost region's servers hold lower terms and rejoin as replicas");
        });

        await run.StepAsync("endpoint", async token =>
        {
            await _ctx.Endpoint.RouteWritesToAsync(newName, term.Term, token);
            return $"{_ctx.Endpoint.Describe}: writes go to {newName}";
        });

        var rto = TimeSpan.Zero;
        await run.StepAsync("write", async token =>
        {
            var detail = await _writeThroughEndpoint(token);
            rto = DateTimeOffset.UtcNow - started - confirmWait;
            return $"{detail}: RTO {rto.TotalSeconds:0.000} s from the command's start (the wait for confirmation, {confirmWait.TotalSeconds:0.0} s, not counted)";
        });

        return new DrPromotionResult(term, risk, rto, DateTimeOffset.UtcNow - started, warnings);
    }

    private async Task<(Plan, string)> CheckAsync(DrPromotionRequest request, List<string> warnings, CancellationToken token)
    {
        var configured = _ctx.Topology;
        var site = configured.Sites.FirstOrDefault(s => s.Name == request.Site)
            ?? throw new OperationFailedException($"{request.Site} is not a site of stack '{configured.Stack}'.", $"name one of {string.Join(", ", configured.Sites.Select(s => s.Name))}.");
        // Every probe at once: a lost region answers nothing, so each probe costs its whole timeout (this is the RTO).
        var probing = ClusterProbe.ReadAsync(configured, _ctx.Connector, _ctx.Admin, ClusterProbe.DefaultTimeout, token);
        var state = await _ctx.Terms.ReadAsync(token);
        var assumed = configured.WithPrimary(LivePrimary.Decide(configured, state.Current, new Dictionary<string, TermRecord?>()).Primary.Name);
        var handshakes = assumed.Hosts.Where(assumed.InPrimaryRegion).Select(async h =>
        {
            var address = _ctx.ReplicationAddresses[h.Name];
            return await HandshakeProbe.AliveAsync(address.Host, address.Port, TimeSpan.FromSeconds(1), token) ? $"{h.Name} answers at {address.Host}:{address.Port}" : null;
        }).ToList();
        var views = await probing;
        var decision = LivePrimary.Decide(configured, state.Current, views.ToDictionary(v => v.Key, v => v.Value.Term, StringComparer.Ordinal));
        var live = configured.WithPrimary(decision.Primary.Name);
        if (live.SiteOf(live.Host(site.Hosts[0].Name)).Kind != SiteKind.Remote)
        {
            throw new OperationFailedException(
                $"{request.Site} is in the primary region now (the primary is {live.Primary.Name}); a DR promotion moves the primary to a remote site.",
                "use local switchover or local failover inside the primary region.");
        }

        var lostRegion = live.Hosts.Where(live.InPrimaryRegion).Select(h => h.Name).ToList();
        if (!lostRegion.SequenceEqual(assumed.Hosts.Where(assumed.InPrimaryRegion).Select(h => h.Name)))
        {
            throw new OperationFailedException("the servers name another primary than the term store; nothing was changed.", "run local status, then local up, and promote again if the region is still lost.");
        }

        var answering = (await Task.WhenAll(handshakes)).OfType<string>().ToList();

        if (answering.Count > 0)
        {
            if (request.ForceReason is null)
            {
                throw new OperationFailedException(
                    $"the primary region is not lost: {string.Join("; ", answering)}.",
                    "use local switchover or local failover while the region answers; if it must be given up anyway, pass --force \"REASON\".");
            }

            warnings.Add($"forced although {string.Join("; ", answering)}: {request.ForceReason}");
            _ctx.Log.Warn($"DR promotion forced by {request.Owner} although {string.Join("; ", answering)}; reason: {request.ForceReason}");
        }

        var choice = CandidateChoice.ForDrPromotion(live, views, configured.Failover, request.Site);
        var best = choice.Chosen
            ?? throw new OperationFailedException($"no host of {request.Site} may be promoted:\n    {string.Join("\n    ", choice.Rejected)}", $"bring a host of {request.Site} back, or rebuild the site.");
        var region = answering.Count == 0 ? $"the primary region ({string.Join(", ", lostRegion)}) answers nowhere" : "the primary region answers, forced";
        return (new Plan(live, views, state, best, lostRegion),
            $"{region}; {best.Name}: {choice.Why}{(choice.Rejected.Count == 0 ? "" : $"; set aside: {string.Join("; ", choice.Rejected)}")}");
    }

    private async Task<DataAtRisk> MeasureRiskAsync(Plan plan, CancellationToken token)
    {
        var received = CandidateChoice.Received(plan.Views[plan.Candidate.Name].Snapshot!);
        var known = new List<KnownPosition>();
        foreach (var view in plan.Views.Values.Where(v => v.Snapshot is not null && v.Name != plan.Candidate.Name))
        {
            known.Add(new KnownPosition(CandidateChoice.Received(view.Snapshot!), null, $"host {view.Name}"));
        }

        if (_evidence is not null)
        {
            known.AddRange(await _evidence.ArchiveAsync(token));
        }

        DateTimeOffset? receivedAt = null;
        foreach (var gtid in _evidence is null ? [] : received.Gtids)
        {
            if (await _evidence!.CommitTimeAsync(plan.Candidate.Name, gtid, token) is { } at && (receivedAt is null || at > receivedAt))
            {
                receivedAt = at;
            }
        }

        return new DataAtRisk(received, receivedAt, known);
    }

    private sealed record Plan(Topology Live, IReadOnlyDictionary<string, HostView> Views, TermState State, Host Candidate, IReadOnlyList<string> LostRegion);
}
