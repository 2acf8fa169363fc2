using HaInfra.Model;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>One host as a role change sees it: its snapshot and latest term, or why it could not be read.</summary>
/// <param name="TermHolders">server_ids of every host that ever held a term, as this server's hainfra.term tells.</param>
public sealed record HostView(string Name, ServerSnapshot? Snapshot, TermRecord? Term, string? Error, IReadOnlySet<uint>? TermHolders = null)
{
    public bool Reachable => Snapshot is not null;
}

/// <summary>Reads every host at once, each under its own short timeout, so one dead server costs no more than that.</summary>
public static class ClusterProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <param name="last">A host read only after all the others (the live primary): under writes a replica read after the
    /// primary could hold GTIDs the primary's older snapshot lacks and look errant; anything a replica has, the primary had first.</param>
    public static async Task<IReadOnlyDictionary<string, HostView>> ReadAsync(
        Topology topology, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin, TimeSpan timeout, CancellationToken ct, string? last = null)
    {
        var first = await Task.WhenAll(topology.Hosts.Where(h => h.Name != last).Select(h => ReadOneAsync(h, connector, admin, timeout, ct)));
        HostView[] views = last is null ? first : [.. first, await ReadOneAsync(topology.Host(last), connector, admin, timeout, ct)];
        return views.ToDictionary(v => v.Name, StringComparer.Ordinal);
    }

    private static async Task<HostView> ReadOneAsync(Host host, ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> admin, TimeSpan timeout, CancellationToken ct)
    {
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await using var client = await connector.ConnectAsync(admin[host.Name], limit.Token);
                var snapshot = await ServerProbe.ReadAsync(client, limit.Token);
                return new HostView(host.Name, snapshot, await TermTable.LatestAsync(client, limit.Token), null, await TermTable.HoldersAsync(client, limit.Token));
            }
            catch (SqlOperationException e)
            {
                return new HostView(host.Name, null, null, e.IsConnectionFailure ? "unreachable" : e.Message);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new HostView(host.Name, null, null, $"no answer within {timeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>Every server_id that held a term, over all reachable hosts.</summary>
    public static IReadOnlySet<uint> TermHolders(IReadOnlyDictionary<string, HostView> views) =>
        views.Values.SelectMany(v => v.TermHolders ?? new HashSet<uint>()).ToHashSet();
}
