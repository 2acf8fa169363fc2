using HaInfra.Model.Galera;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Galera;

/// <summary>
/// The monitor's round for a Galera stack with a DR site. Galera needs no failover (the endpoint moves writes to another
/// node by itself), but the DR replica replicates from one node and stops when that node dies. When a DR host has not
/// replicated from a Synced node for the stack's failure count of rounds in a row, it is pointed at a Synced node
/// (<see cref="GaleraDrFollow"/>: by GTID, the writer node first), so the DR site stops falling behind without an operator.
/// </summary>
public sealed class GaleraDrWatch
{
    /// <summary>A round reads every node and DR host; one that hangs (a frozen server) must not hold up the next.</summary>
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(5);

    private readonly RoleChangeContext _ctx;
    private readonly Func<IDisposable> _exclusive;
    private int _strandedRounds;

    /// <param name="exclusive">Taken around a move, so the watch never repoints while an operator command works on the stack
    /// (locally: the state directory's lock); throws <see cref="OperationFailedException"/> when held elsewhere.</param>
    public GaleraDrWatch(RoleChangeContext ctx, Func<IDisposable> exclusive)
    {
        _ctx = ctx;
        _exclusive = exclusive;
    }

    /// <summary>Whether the stack has hosts outside its Galera cluster for the watch to keep replicating.</summary>
    public static bool Applies(Model.Topology topology) =>
        GaleraCluster.Applies(topology) && topology.Hosts.Any(h => !GaleraCluster.IsNode(topology, h));

    /// <summary>One round: what the monitor should log (a move, a refusal, a DR host found stranded), or null when all is well.</summary>
    public async Task<string?> RoundAsync(CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(RoundTimeout);
        IReadOnlyList<string> stranded;
        try
        {
            stranded = await GaleraDrFollow.StrandedAsync(_ctx.Topology, _ctx.Connector, _ctx.Admin, _ctx.ReplicationAddresses, limit.Token);
        }
        catch (Exception e) when (e is SqlOperationException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _strandedRounds = 0;
            return $"DR link not checked: {(e is OperationCanceledException ? $"no answer within {RoundTimeout.TotalSeconds:0} s" : e.Message)}";
        }

        if (stranded.Count == 0)
        {
            _strandedRounds = 0;
            return null;
        }

        if (++_strandedRounds < _ctx.Topology.Failover.FailureCount)
        {
            return $"{string.Join(", ", stranded)} not replicating from a Synced node ({_strandedRounds} of {_ctx.Topology.Failover.FailureCount} rounds)";
        }

        try
        {
            using var exclusive = _exclusive();
            var writer = LivePrimary.Decide(_ctx.Topology, (await _ctx.Terms.ReadAsync(ct)).Current, new Dictionary<string, TermRecord?>()).Primary.Name;
            var moved = await GaleraDrFollow.RunAsync(_ctx.Topology, writer, _ctx.Connector, _ctx.Admin, _ctx.ReplicationAddresses, _ctx.Account, _ctx.TlsCaFile, _ctx.Log, ct);
            _strandedRounds = 0;
            return moved.Count == 0 ? null : $"DR link restored: {string.Join(", ", moved)} follow{(moved.Count == 1 ? "s" : "")} another node";
        }
        catch (Exception e) when (e is OperationFailedException or SqlOperationException)
        {
            return $"DR link not restored: {(e is OperationFailedException o ? o.Problem : e.Message)}";
        }
    }
}
