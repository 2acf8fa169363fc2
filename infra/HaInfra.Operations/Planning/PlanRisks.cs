using HaInfra.Model;
using HaInfra.Model.Network;

namespace HaInfra.Operations.Planning;

/// <summary>
/// What in a change can lose data or weaken the cluster, decided from the two validated models and the resource
/// changes. Each rule is one method, so each is tested on its own golden case.
/// </summary>
public static class PlanRisks
{
    public static IReadOnlyList<PlanRisk> Find(Topology? before, Topology after, HostChanges hosts, IReadOnlyList<ResourceChange> resources,
        IReadOnlyList<string> restarts, PrimaryInPlan primary)
    {
        var risks = new List<PlanRisk>();
        risks.AddRange(HostLosses(before, after, hosts));
        risks.AddRange(DataResources(resources));
        risks.AddRange(RebuiltHosts(resources));
        if (before is not null)
        {
            risks.AddRange(PrimaryTouched(hosts, resources, restarts, primary));
            risks.AddRange(SiteCopies(before, after));
            risks.AddRange(SemiSync(before, after));
            risks.AddRange(Backups(before, after));
            risks.AddRange(Security(before, after));
        }

        return [.. risks.OrderBy(r => r.Level)];
    }

    private static IEnumerable<PlanRisk> HostLosses(Topology? before, Topology after, HostChanges hosts)
    {
        foreach (var host in hosts.Removed)
        {
            yield return new PlanRisk(RiskLevel.Destructive, "host-deleted",
                $"{host.Name} (site {host.Site}) is removed from the stack: its server and its {host.DataDiskGb} GB data disk are deleted.");
        }

        foreach (var change in hosts.Changed)
        {
            switch (change.Attribute)
            {
                case "dataDiskGb" when int.Parse(change.New) < int.Parse(change.Old):
                    yield return new PlanRisk(RiskLevel.Destructive, "disk-shrink",
                        $"{change.Host}'s data disk shrinks from {change.Old} to {change.New} GB: a volume cannot shrink in place, so the disk is replaced and its data lost (reseed the host from a donor afterwards, or keep the size).");
                    break;
                case "zone":
                    yield return new PlanRisk(RiskLevel.Destructive, "zone-move",
                        $"{change.Host} moves from zone {change.Old} to {change.New}: the server and its zonal data disk are replaced (a new, empty host that must be reseeded).");
                    break;
                case "site":
                    yield return new PlanRisk(RiskLevel.Warning, "site-move",
                        $"{change.Host} moves from site {change.Old} to {change.New}: its replication mode and network rules follow the new site.");
                    break;
                case "serverId":
                    yield return new PlanRisk(RiskLevel.Warning, "server-id",
                        $"{change.Host}'s server_id changes from {change.Old} to {change.New}: GTIDs it writes from now on carry the new id (restart needed).");
                    break;
            }
        }

        _ = before;
        _ = after;
    }

    private static IEnumerable<PlanRisk> DataResources(IReadOnlyList<ResourceChange> resources) =>
        resources.Where(r => r.HoldsData && r.Op is ResourceOp.Replace or ResourceOp.Delete)
            .Select(r => new PlanRisk(RiskLevel.Destructive, r.Op == ResourceOp.Delete ? "resource-delete" : "resource-replace",
                $"{r.Name} ({r.Type}) is {(r.Op == ResourceOp.Delete ? "deleted" : "replaced")}{Reasons(r)}: what it holds is lost."));

    /// <summary>A server replaced while its data disk is kept: the data survives, the host is down while it is rebuilt.</summary>
    private static IEnumerable<PlanRisk> RebuiltHosts(IReadOnlyList<ResourceChange> resources) =>
        resources.Where(r => ReplacementTable.IsHost(r.Type) && r.Op == ResourceOp.Replace)
            .Select(r => new PlanRisk(RiskLevel.Warning, "host-rebuilt",
                $"{r.Name} ({r.Type}) is replaced{Reasons(r)}: the host is down while a new server is built{(resources.Any(d => d.HoldsData && d.Op is ResourceOp.Replace or ResourceOp.Delete && SameHost(d.Name, r.Name)) ? "" : " and its data disk re-attached")}."));

    private static bool SameHost(string a, string b) => a.Split('_')[0] == b.Split('_')[0];

    private static string Reasons(ResourceChange r) => r.ReplaceReasons.Count == 0 ? "" : $" ({string.Join("; ", r.ReplaceReasons)})";

    private static IEnumerable<PlanRisk> PrimaryTouched(HostChanges hosts, IReadOnlyList<ResourceChange> resources, IReadOnlyList<string> restarts, PrimaryInPlan primary)
    {
        var name = primary.Host;
        var what = new List<string>();
        if (hosts.Removed.Any(h => h.Name == name))
        {
            what.Add("removed");
        }

        what.AddRange(hosts.Changed.Where(c => c.Host == name && c.Attribute is "zone" or "dataDiskGb" or "size")
            .Select(c => $"{c.Attribute} {c.Old} → {c.New}"));
        if (restarts.Contains(name))
        {
            what.Add("restarted");
        }

        if (resources.Any(r => r.Op is ResourceOp.Replace or ResourceOp.Delete && ResourceNames.BelongsTo(r.Name, name)))
        {
            what.Add("resources replaced or deleted");
        }

        if (what.Count > 0)
        {
            yield return new PlanRisk(RiskLevel.Warning, "primary-affected",
                $"the primary {name} ({primary.Source}) is affected: {string.Join(", ", what.Distinct())}. Switch over to another host first (./hainfra switchover), so no write waits on it.");
        }

        if (primary.InitialBefore is { } initialBefore && initialBefore != primary.InitialAfter)
        {
            yield return new PlanRisk(RiskLevel.Warning, "initial-primary",
                $"the configured initial primary changes from {initialBefore} to {primary.InitialAfter}: only a stack that never ran uses it; a running stack keeps its live primary (switch over to move it).");
        }
    }

    private static IEnumerable<PlanRisk> SiteCopies(Topology before, Topology after)
    {
        foreach (var site in before.Sites)
        {
            var now = after.Sites.FirstOrDefault(s => s.Name == site.Name);
            if (now is null)
            {
                yield return new PlanRisk(RiskLevel.Warning, "site-removed",
                    $"site {site.Name} ({Spellings.SiteKind.Of(site.Kind)}, {site.Region}) is removed: the stack loses the copies it held{(site.Kind == SiteKind.Remote ? ", and with them its disaster-recovery region" : "")}.");
                continue;
            }

            var replicasBefore = site.Hosts.Count(h => h.Role == HostRole.Replica);
            var replicasAfter = now.Hosts.Count(h => h.Role == HostRole.Replica);
            if (replicasBefore > 0 && replicasAfter == 0)
            {
                yield return new PlanRisk(RiskLevel.Warning, "site-last-replica",
                    $"site {site.Name} loses its last replica ({string.Join(", ", site.Hosts.Where(h => h.Role == HostRole.Replica).Select(h => h.Name))}).");
            }
        }
    }

    private static IEnumerable<PlanRisk> SemiSync(Topology before, Topology after)
    {
        static List<string> Acks(Topology t) => [.. t.Replicas.Where(r => t.SiteOf(r).Mode == ReplicationMode.SemiSync).Select(r => r.Name)];
        var was = Acks(before);
        var now = Acks(after);
        if (was.Count > 0 && now.Count == 0)
        {
            yield return new PlanRisk(RiskLevel.Warning, "semisync-none",
                $"no semi-sync replica is left (was {string.Join(", ", was)}): commits no longer wait for a second copy, so losing the primary can lose acknowledged writes.");
        }
        else if (was.Count > 1 && now.Count == 1)
        {
            yield return new PlanRisk(RiskLevel.Warning, "semisync-single",
                $"only {now[0]} acknowledges commits now (was {string.Join(", ", was)}): while it is down or behind, the primary waits {after.Replication.SemiSyncTimeoutMs} ms per commit, then runs without a second copy.");
        }

        if (after.Replication.Method != before.Replication.Method)
        {
            yield return new PlanRisk(RiskLevel.Warning, "method-changed",
                $"the replication method changes from {Spellings.Method.Of(before.Replication.Method)} to {Spellings.Method.Of(after.Replication.Method)}: a running stack must be migrated by hand.");
        }
    }

    private static IEnumerable<PlanRisk> Backups(Topology before, Topology after)
    {
        var b = before.Backup;
        var a = after.Backup;
        if (b.Enabled && !a.Enabled)
        {
            yield return new PlanRisk(RiskLevel.Warning, "backups-disabled", "backups are turned off: no new backup is taken and the binlog archive stops.");
        }

        if (b.Enabled && a.Enabled && b.BinlogArchive && !a.BinlogArchive)
        {
            yield return new PlanRisk(RiskLevel.Warning, "binlog-archive-off", "the binlog archive is turned off: point-in-time restore ends at the last backup.");
        }

        foreach (var (what, old, now) in new[]
        {
            ("full backups", b.Retention.FullDays, a.Retention.FullDays),
            ("incremental backups", b.Retention.IncrementalDays, a.Retention.IncrementalDays),
            ("logical backups", b.Retention.LogicalDays, a.Retention.LogicalDays),
            ("archived binlogs", b.Retention.BinlogDays, a.Retention.BinlogDays),
        })
        {
            if (now < old)
            {
                yield return new PlanRisk(RiskLevel.Warning, "retention-shortened",
                    $"{what} are kept {now} days instead of {old}: those between {now} and {old} days old are deleted at the next prune or lifecycle run.");
            }
        }

        foreach (var (what, old, now) in new[]
        {
            ("infrequent access", b.Lifecycle.FullToInfrequentAccessDays, a.Lifecycle.FullToInfrequentAccessDays),
            ("archive", b.Lifecycle.FullToArchiveDays, a.Lifecycle.FullToArchiveDays),
        })
        {
            if (now < old)
            {
                yield return new PlanRisk(RiskLevel.Warning, "lifecycle-shortened",
                    $"full backups move to {what} after {now} days instead of {old}: restoring one older than that is slower (and costs a retrieval).");
            }
        }

        var removed = b.Recipients.Except(a.Recipients, StringComparer.Ordinal).ToList();
        var added = a.Recipients.Except(b.Recipients, StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            yield return new PlanRisk(RiskLevel.Warning, "recipients-added",
                $"backups are also encrypted to {string.Join(", ", added.Select(Short))}: that key's holder can read every backup taken from now on.");
        }

        if (removed.Count > 0)
        {
            yield return new PlanRisk(RiskLevel.Warning, "recipients-removed",
                $"backups are no longer encrypted to {string.Join(", ", removed.Select(Short))}: keep that private key until the backups taken before expire, or they cannot be read.");
        }
    }

    private static IEnumerable<PlanRisk> Security(Topology before, Topology after)
    {
        if (before.Tls && !after.Tls)
        {
            yield return new PlanRisk(RiskLevel.Warning, "tls-off", "TLS is turned off: replication and client traffic travel unencrypted.");
        }

        foreach (var cidr in after.Network.ApplicationCidrs.Where(c => !before.Network.ApplicationCidrs.Any(old => old.Contains(c))))
        {
            var reach = cidr.PrefixLength == 0 ? "the whole internet" : cidr.IsPrivate ? "a private network not allowed before" : "public addresses";
            yield return new PlanRisk(RiskLevel.Warning, "network-widened",
                $"port 3306 opens to {cidr} ({reach}): hainfra:network.applicationCidrs gains it.");
        }
    }

    /// <summary>Age recipients are long; the start and end tell them apart.</summary>
    private static string Short(string recipient) => recipient.Length <= 20 ? recipient : $"{recipient[..10]}…{recipient[^6..]}";
}

/// <summary>The primary the plan reasons about: the live one when the caller knows it, else the configured initial primary.</summary>
/// <param name="Source">How it is known, for the risk text: "live primary, from …" or "initial primary from the config; the live primary is not known offline".</param>
public sealed record PrimaryInPlan(string Host, string Source, string? InitialBefore, string InitialAfter);
