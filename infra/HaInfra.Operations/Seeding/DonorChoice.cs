using HaInfra.Model;
using HaInfra.Operations.Replication;

namespace HaInfra.Operations.Seeding;

/// <summary>The donor picked for a seed and why, for the operator to read.</summary>
public sealed record Donor(Host Host, string Why);

/// <summary>
/// Picks the server a new replica copies from, keeping load off the primary: a healthy replica in the target's
/// own site first (the copy stays in the datacenter), then another healthy replica, the primary last.
/// Pure: it only reads snapshots, so every preference is unit-tested.
/// </summary>
public static class DonorChoice
{
    public const long MaxHealthyLagSeconds = 60;

    public static Donor Choose(Topology topology, Host target, IReadOnlyDictionary<string, ServerSnapshot?> snapshots)
    {
        var site = topology.SiteOf(target);
        var skipped = new List<string>();
        var healthy = new List<Host>();
        foreach (var replica in topology.Replicas.Where(r => r.Name != target.Name))
        {
            var problem = Problem(snapshots.GetValueOrDefault(replica.Name));
            if (problem is null)
            {
                healthy.Add(replica);
            }
            else
            {
                skipped.Add($"{replica.Name} ({problem})");
            }
        }

        var skippedText = skipped.Count > 0 ? $"; skipped {string.Join(", ", skipped)}" : "";
        var sameSite = healthy.FirstOrDefault(r => r.Site == site.Name);
        if (sameSite is not null)
        {
            return new Donor(sameSite, $"healthy replica in the target's own site {site.Name}{skippedText}");
        }

        // Prefer replicas nearer the primary's region: a remote DR replica would pull the copy across the WAN.
        var other = healthy.OrderBy(r => topology.SiteOf(r).Kind == SiteKind.Remote ? 1 : 0).FirstOrDefault();
        if (other is not null)
        {
            return new Donor(other, $"healthy replica in site {other.Site} (none in {site.Name}){skippedText}");
        }

        if (snapshots.GetValueOrDefault(topology.Primary.Name) is null)
        {
            throw new OperationFailedException(
                $"no server can donate data to {target.Name}: no healthy replica and the primary {topology.Primary.Name} is not reachable{skippedText}.",
                "start the primary (local up) or repair a replica, then seed again.");
        }

        return new Donor(topology.Primary, $"the primary: no healthy replica to copy from{skippedText}");
    }

    private static string? Problem(ServerSnapshot? snapshot) => snapshot switch
    {
        null => "not running",
        { Channel: null } => "not replicating",
        { Channel.Running: false } => "replication stopped",
        { Channel.SecondsBehind: > MaxHealthyLagSeconds } s => $"{s.Channel!.SecondsBehind} s behind",
        _ => null,
    };
}
