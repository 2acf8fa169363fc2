using HaInfra.Model.Backups;
using HaInfra.Model.Failover;
using HaInfra.Model.Network;

namespace HaInfra.Model;

/// <summary>
/// One environment's validated topology: the single source of truth for rendering, synthesis and operations.
/// Built only by <see cref="Config.TopologyLoader"/>, so every instance has passed validation.
/// </summary>
public sealed record Topology(
    string Stack,
    CloudKind Cloud,
    ServerFlavor Flavor,
    ServerVersion Version,
    ReplicationSettings Replication,
    bool Tls,
    IReadOnlyList<Site> Sites,
    BackupPolicy Backup,
    LocalSettings Local,
    NetworkSettings Network,
    FailoverPolicy Failover)
{
    /// <summary>The site the stack calls primary: with the same-city sites it forms the primary region.</summary>
    public Site PrimarySite => Sites.Single(s => s.Kind == SiteKind.Primary);

    /// <summary>
    /// The host holding the primary role in this view of the stack. As loaded it is <see cref="InitialPrimary"/>; an
    /// operation that found the live primary works on <see cref="WithPrimary"/> of it instead.
    /// </summary>
    public Host Primary => Hosts.Single(h => h.Role == HostRole.Primary);

    /// <summary>The first host of the primary site: the primary of a stack that never failed over, and nothing more.</summary>
    public Host InitialPrimary => PrimarySite.Hosts[0];

    /// <summary>The primary region: the primary site's region, which same-city sites share.</summary>
    public string PrimaryRegion => PrimarySite.Region;

    public bool InPrimaryRegion(Host host) => SiteOf(host).Region == PrimaryRegion && SiteOf(host).Kind != SiteKind.Remote;

    /// <summary>The same stack with <paramref name="primary"/> in the primary role and every other host a replica.</summary>
    public Topology WithPrimary(string primary)
    {
        var host = Host(primary);
        if (host.Role == HostRole.Primary)
        {
            return this;
        }

        // A primary on a remote site exists only after a DR promotion: that site is home now, so its region is the
        // primary region (automatic failover stays inside it) and the former primary region's sites are remote and
        // asynchronous (a primary never waits for acknowledgements across the WAN). Kinds and modes are always
        // derived from the configured sites, so moving the primary back home restores them.
        var configured = Sites.Select(s => s.AsConfigured ?? s).ToList();
        var home = configured.Single(s => s.Name == host.Site);
        var rehome = home.Kind == SiteKind.Remote;
        return this with
        {
            Sites = [.. configured.Select(s => s with
            {
                Kind = !rehome ? s.Kind : s.Name == home.Name ? SiteKind.Primary : s.Region == home.Region ? SiteKind.SameCity : SiteKind.Remote,
                Mode = !rehome || s.Region == home.Region ? s.Mode : ReplicationMode.Async,
                Hosts = [.. s.Hosts.Select(h => h with { Role = h.Name == host.Name ? HostRole.Primary : HostRole.Replica })],
                AsConfigured = rehome ? s : null,
            })],
        };
    }

    public IEnumerable<Host> Hosts => Sites.SelectMany(s => s.Hosts);

    public IEnumerable<Host> Replicas => Hosts.Where(h => h.Role == HostRole.Replica);

    /// <summary>Every region the stack uses, the primary's first, then in site order.</summary>
    public IReadOnlyList<string> Regions => NetworkSettings.RegionOrder(PrimarySite.Region, Sites.Select(s => s.Region));

    public Site SiteOf(Host host) => Sites.Single(s => s.Name == host.Site);

    public Host Host(string name) =>
        Hosts.SingleOrDefault(h => h.Name == name)
        ?? throw new ArgumentException($"stack '{Stack}' has no host '{name}' (hosts: {string.Join(", ", Hosts.Select(h => h.Name))})", nameof(name));

    /// <summary>True when the primary must run semi-sync: at least one replica's site asks for it.</summary>
    public bool PrimaryWaitsForSemiSync => Replicas.Any(r => SiteOf(r).Mode == ReplicationMode.SemiSync);
}

/// <summary>A primary site, a same-city site (another zone or datacenter) or a remote disaster-recovery region.</summary>
public sealed record Site(
    string Name,
    SiteKind Kind,
    string Region,
    IReadOnlyList<string> Zones,
    ReplicationMode Mode,
    IReadOnlyList<Host> Hosts)
{
    /// <summary>The site as the config describes it, when a view after a DR promotion changed its kind or mode.</summary>
    public Site? AsConfigured { get; init; }
}

/// <summary>A database host; <paramref name="Role"/> is its role in the topology view it belongs to (see <see cref="Topology.WithPrimary"/>).</summary>
public sealed record Host(
    string Name,
    string Site,
    HostRole Role,
    SizeClass Size,
    int DataDiskGb,
    uint ServerId,
    string Zone,
    DiskPerformance DataDisk);

/// <summary>Provisioned performance of a host's data volume (on aws a gp3 volume; the baseline is free).</summary>
public sealed record DiskPerformance(int Iops, int ThroughputMbps)
{
    public static readonly DiskPerformance Baseline = new(3000, 125);
}

public sealed record ReplicationSettings(
    ReplicationMethod Method,
    SemiSyncWaitPoint WaitPoint,
    int SemiSyncTimeoutMs,
    int ParallelWorkers,
    SeedMethod SeedMethod = SeedMethod.Physical,
    string? Arbitrator = null);

/// <summary>Settings used only when the stack is realized on this machine (<c>local up</c>).</summary>
/// <param name="SiteNamespaces">Each site's servers run in a network namespace of their own, behind a veth pair a drill
/// can cut (a real network partition); otherwise every server listens on 127.0.0.1.</param>
public sealed record LocalSettings(int? BasePort, int BufferPoolMb, bool SiteNamespaces = false);
