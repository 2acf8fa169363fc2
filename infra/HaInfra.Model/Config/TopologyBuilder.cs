using HaInfra.Model.Backups;
using HaInfra.Model.Failover;
using HaInfra.Model.Network;

namespace HaInfra.Model.Config;

/// <summary>DTO to model, after validation passed: applies defaults and derives roles, zones and server ids.</summary>
internal static class TopologyBuilder
{
    public const int DefaultSemiSyncTimeoutMs = 5000;
    public const int DefaultParallelWorkers = 4;
    public const int DefaultLocalBufferPoolMb = 64;

    public static Topology Build(TopologyDto dto)
    {
        var flavor = Parsed(dto.Flavor, Spellings.Flavor, ServerFlavor.MariaDb);
        var replication = new ReplicationSettings(
            Parsed(dto.Replication?.Method, Spellings.Method, ReplicationMethod.PrimaryReplica),
            Parsed(dto.Replication?.WaitPoint, Spellings.WaitPoint, SemiSyncWaitPoint.AfterSync),
            dto.Replication?.SemiSyncTimeoutMs ?? DefaultSemiSyncTimeoutMs,
            dto.Replication?.ParallelWorkers ?? DefaultParallelWorkers,
            Parsed(dto.Replication?.SeedMethod, Spellings.SeedMethod, SeedMethod.Physical),
            dto.Replication?.Arbitrator);

        var sites = dto.Sites!.Select(s => BuildSite(s, replication.Method)).ToList();
        var regions = NetworkSettings.RegionOrder(sites.Single(s => s.Kind == SiteKind.Primary).Region, sites.Select(s => s.Region));
        return new Topology(
            dto.Stack,
            Parsed<CloudKind>(dto.Cloud, Spellings.Cloud, null),
            flavor,
            dto.Version is null ? SupportedServers.Default(flavor) : ServerVersion.Parse(dto.Version),
            replication,
            dto.Tls ?? false,
            sites,
            BuildBackup(dto.Backup, Parsed<CloudKind>(dto.Cloud, Spellings.Cloud, null)),
            new LocalSettings(dto.Local?.BasePort, dto.Local?.BufferPoolMb ?? DefaultLocalBufferPoolMb, dto.Local?.SiteNamespaces ?? false),
            BuildNetwork(dto.Network, regions),
            BuildFailover(dto.Failover, sites, replication.Method));
    }

    /// <summary>Automatic failover is on by default wherever the primary region has another host to promote.</summary>
    private static FailoverPolicy BuildFailover(FailoverDto? failover, List<Site> sites, ReplicationMethod method)
    {
        var never = failover?.NeverPromote ?? [];
        var primary = sites.Single(s => s.Kind == SiteKind.Primary);
        var candidate = sites.Where(s => s.Kind != SiteKind.Remote && s.Region == primary.Region)
            .SelectMany(s => s.Hosts).Any(h => h != primary.Hosts[0] && !never.Contains(h.Name, StringComparer.Ordinal));
        // Galera needs no promotion (every node is writable), so the primary failover monitor is off by default.
        var defaults = FailoverPolicy.Default(candidate && method != ReplicationMethod.Galera);
        return failover is null ? defaults : new FailoverPolicy(
            failover.Auto ?? defaults.Auto,
            failover.CheckIntervalMs is { } interval ? TimeSpan.FromMilliseconds(interval) : defaults.CheckInterval,
            failover.FailureCount ?? defaults.FailureCount,
            failover.DeadlineSeconds is { } deadline ? TimeSpan.FromSeconds(deadline) : defaults.Deadline,
            failover.AntiFlapMinutes is { } window ? TimeSpan.FromMinutes(window) : defaults.AntiFlap,
            failover.MaxLagSeconds ?? defaults.MaxLagSeconds,
            never);
    }

    private static NetworkSettings BuildNetwork(NetworkDto? network, IReadOnlyList<string> regions)
    {
        var explicitCidrs = (network?.VpcCidrs ?? []).ToDictionary(e => e.Key, e => Cidr.Parse(e.Value), StringComparer.Ordinal);
        return new NetworkSettings(
            [.. (network?.ApplicationCidrs ?? []).Select(Cidr.Parse)],
            [.. regions.Select((r, i) => new RegionNetwork(r, explicitCidrs.TryGetValue(r, out var cidr) ? cidr : NetworkSettings.DefaultVpcCidr(i)))],
            network?.DnsZone ?? NetworkSettings.DefaultDnsZone,
            network?.AdminSshPublicKey);
    }

    private static BackupPolicy BuildBackup(BackupDto? backup, CloudKind cloud)
    {
        var defaults = BackupPolicy.Disabled(cloud);
        if (backup is null)
        {
            return defaults;
        }

        var schedules = backup.Schedules;
        var retention = backup.Retention;
        var lifecycle = backup.Lifecycle;
        return new BackupPolicy(
            backup.Enabled ?? false,
            Parsed(backup.Destination, BackupSpellings.Destination, defaults.Destination),
            Parsed(backup.TakenFrom, BackupSpellings.Source, defaults.TakenFrom),
            backup.Host,
            new BackupSchedules(
                schedules?.Full ?? defaults.Schedules.Full,
                schedules?.Incremental ?? defaults.Schedules.Incremental,
                schedules?.Logical ?? defaults.Schedules.Logical),
            new BackupRetention(
                retention?.FullDays ?? defaults.Retention.FullDays,
                retention?.IncrementalDays ?? defaults.Retention.IncrementalDays,
                retention?.LogicalDays ?? defaults.Retention.LogicalDays,
                retention?.BinlogDays ?? defaults.Retention.BinlogDays),
            new BackupLifecycle(
                lifecycle?.FullToInfrequentAccessDays ?? defaults.Lifecycle.FullToInfrequentAccessDays,
                lifecycle?.FullToArchiveDays ?? defaults.Lifecycle.FullToArchiveDays),
            backup.CompressionLevel ?? defaults.CompressionLevel,
            backup.BinlogArchive ?? defaults.BinlogArchive,
            backup.Recipients ?? [],
            new BackupObjectives(
                backup.Objectives?.RpoSeconds ?? defaults.Objectives.RpoSeconds,
                backup.Objectives?.RtoMinutes ?? defaults.Objectives.RtoMinutes));
    }

    private static Site BuildSite(SiteDto site, ReplicationMethod method)
    {
        var kind = Parsed<SiteKind>(site.Kind, Spellings.SiteKind, null);
        var mode = Parsed(site.Replication, Spellings.ReplicationMode, Validation.GaleraRules.DefaultMode(method, kind));
        var zones = site.Zones!;
        var hosts = site.Hosts!.Select((host, i) => new Host(
            host.Name!,
            site.Name!,
            kind == SiteKind.Primary && i == 0 ? HostRole.Primary : HostRole.Replica,
            SizeClass.Find(host.Size)!,
            host.DataDiskGb!.Value,
            (uint?)host.ServerId ?? ServerIds.Derive(host.Name!),
            host.Zone ?? zones[i % zones.Count],
            new DiskPerformance(
                host.DataDiskIops ?? DiskPerformance.Baseline.Iops,
                host.DataDiskThroughputMbps ?? DiskPerformance.Baseline.ThroughputMbps))).ToList();
        return new Site(site.Name!, kind, site.Region!, zones, mode, hosts);
    }

    private static T Parsed<T>(string? text, Spelling<T> spelling, T? fallback)
        where T : struct, Enum =>
        text is not null && spelling.TryParse(text, out var value) ? value : fallback ?? throw new InvalidOperationException($"validation let through '{text}'");
}
