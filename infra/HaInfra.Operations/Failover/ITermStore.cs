namespace HaInfra.Operations.Failover;

/// <summary>
/// Where the live primary's term is persisted so every operator command (and every monitor) finds it, and the only
/// place a role change is claimed: a compare-and-set on <see cref="TermState.Version"/>, so of two actors racing for
/// the same failure exactly one wins.
/// </summary>
public interface ITermStore
{
    /// <summary>A human-readable location, for messages.</summary>
    string Describe { get; }

    Task<TermState> ReadAsync(CancellationToken ct = default);

    /// <summary>
    /// Replaces the state with <paramref name="change"/> of it, atomically, if its version is still
    /// <paramref name="expectedVersion"/>; returns the new state, or null when another writer got there first.
    /// </summary>
    Task<TermState?> TryUpdateAsync(long expectedVersion, Func<TermState, TermState> change, CancellationToken ct = default);
}

public static class TermStoreExtensions
{
    /// <summary>Applies <paramref name="change"/> to whatever the state is now, retrying on concurrent writes.</summary>
    public static async Task<TermState> UpdateAsync(this ITermStore store, Func<TermState, TermState> change, CancellationToken ct = default)
    {
        while (true)
        {
            var current = await store.ReadAsync(ct);
            if (await store.TryUpdateAsync(current.Version, change, ct) is { } updated)
            {
                return updated;
            }
        }
    }
}
