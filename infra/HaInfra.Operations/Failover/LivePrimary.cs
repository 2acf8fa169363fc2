using HaInfra.Model;

namespace HaInfra.Operations.Failover;

/// <summary>Which host is the live primary, in which term, and how that was decided.</summary>
/// <param name="Term">The term in force; null before the first bootstrap recorded one.</param>
public sealed record PrimaryDecision(Host Primary, TermRecord? Term, string Why, IReadOnlyList<string> Notes);

/// <summary>
/// Decides the live primary from the recorded terms: the store's and every reachable server's latest hainfra.term
/// row. The highest term wins; the config's first host is only the primary of a stack that never recorded a term.
/// Pure, so every branch is unit-tested.
/// </summary>
public static class LivePrimary
{
    public static PrimaryDecision Decide(Topology topology, TermRecord? stored, IReadOnlyDictionary<string, TermRecord?> onServers)
    {
        var claims = onServers.Where(s => s.Value is not null).Select(s => (Where: $"server {s.Key}", Term: s.Value!)).ToList();
        if (stored is not null)
        {
            claims.Add(("the term store", stored));
        }

        if (claims.Count == 0)
        {
            return new PrimaryDecision(topology.InitialPrimary, null, "no term recorded yet: the primary site's first host", []);
        }

        var best = claims.MaxBy(c => c.Term.Term).Term;
        var rivals = claims.Where(c => c.Term.Term == best.Term && c.Term.Primary != best.Primary).ToList();
        if (rivals.Count > 0)
        {
            throw new OperationFailedException(
                $"term {best.Term} is claimed by {best.Primary} and by {string.Join(", ", rivals.Select(r => $"{r.Term.Primary} ({r.Where})"))}.",
                "two promotions used the same term; stop writes, compare the servers' data, and record the right primary with a switchover.");
        }

        if (!topology.Hosts.Any(h => h.Name == best.Primary))
        {
            throw new OperationFailedException(
                $"the live primary is {best.Primary} ({best}), but the stack has no host of that name.",
                $"put {best.Primary} back in the stack, or switch over to a host of the stack before removing it.");
        }

        var notes = new List<string>();
        var where = string.Join(", ", claims.Where(c => c.Term.Term == best.Term).Select(c => c.Where));
        if (stored is not null && stored.Term < best.Term)
        {
            notes.Add($"the term store had term {stored.Term} ({stored.Primary}); servers know term {best.Term}, which wins.");
        }

        var behind = onServers.Where(s => s.Value is { } t && t.Term < best.Term).Select(s => s.Key).ToList();
        if (behind.Count > 0)
        {
            notes.Add($"{string.Join(", ", behind)} {(behind.Count == 1 ? "has" : "have")} not received term {best.Term} yet.");
        }

        return new PrimaryDecision(topology.Host(best.Primary), best, $"{best} (from {where})", notes);
    }
}
