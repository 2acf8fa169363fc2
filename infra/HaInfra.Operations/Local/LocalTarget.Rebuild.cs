using System.Diagnostics;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Backups;
using HaInfra.Operations.DisasterRecovery;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>One rebuilt host: the backup it came from, its size and restore time.</summary>
public sealed record RebuiltHost(string Host, string Backup, long Bytes, TimeSpan Restore);

/// <param name="CatchUp">From the servers' start until every rebuilt host had applied the primary's position.</param>
public sealed record SiteRebuildResult(string Site, string Copy, IReadOnlyList<RebuiltHost> Hosts, TimeSpan CatchUp, TimeSpan Elapsed, int TablesVerified);

/// <summary>Which backup copy a rebuild restores from.</summary>
public enum RebuildCopy
{
    /// <summary>The copy in the site's region: the offsite copy for a site outside the configured primary region.</summary>
    Nearest,

    /// <summary>The offsite copy (the other region's), e.g. to rebuild a lost primary region whose own bucket went with it.</summary>
    Offsite,

    /// <summary>The backup bucket of the configured primary region.</summary>
    Primary,
}

public sealed partial class LocalTarget
{
    /// <summary>
    /// `local dr rebuild SITE`: every host of the site gets a new datadir restored from the backup copy nearest to
    /// the site (the offsite copy for a site outside the configured primary region), not a clone of the primary over
    /// the WAN; then the servers start and catch up from the live primary by GTID, and each is checked by checksums
    /// against it. A host that has a datadir is replaced only with <paramref name="force"/>, or when an earlier rebuild
    /// of it was interrupted (its marker says so); nothing changes before every host passed that check.
    /// </summary>
    public async Task<SiteRebuildResult> RebuildSiteAsync(string siteName, bool force, CancellationToken ct = default) =>
        await RebuildSitesAsync([siteName], force, RebuildCopy.Nearest, ct);

    /// <summary>Several sites at once (a whole lost region): their hosts are all replaced before any server starts.</summary>
    public async Task<SiteRebuildResult> RebuildSitesAsync(IReadOnlyList<string> siteNames, bool force, RebuildCopy copy, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        RequireMariaDb();
        var binaries = MariaDbBinaries.Require();
        using var stateLock = StateLock.Acquire(Paths);
        var state = LocalState.Load(Paths)
            ?? throw new OperationFailedException($"stack '{_topology.Stack}' is not realized here ({Paths.Root}).", $"run ./hainfra local up --stack {_topology.Stack} first.");
        if (!_topology.Backup.Enabled)
        {
            throw new OperationFailedException(
                $"stack '{_topology.Stack}' takes no backups (hainfra:backup.enabled = false): a site is rebuilt from its backup copy.",
                "turn backups on, take a full backup, then rebuild; or bring hosts back with local up (a clone of the primary).");
        }

        var sites = siteNames.Select(n => _topology.Sites.Single(s => s.Name == n)).ToList();
        var siteName = string.Join(", ", siteNames);
        var hosts = sites.SelectMany(s => s.Hosts).ToList();
        var live = Live();
        if (hosts.Any(h => h.Name == live.Primary.Name))
        {
            throw new OperationFailedException(
                $"the live primary {live.Primary.Name} is on {siteName}; a rebuild replaces every host of the site.",
                "rebuild another site, or move the primary off this one first (local switchover, local dr promote).");
        }

        ServerSnapshot primary;
        try
        {
            await using var client = await _connector.ConnectAsync(AdminOf(live.Primary.Name), ct);
            primary = await ServerProbe.ReadAsync(client, ct);
        }
        catch (SqlOperationException e)
        {
            throw new OperationFailedException($"the live primary {live.Primary.Name} does not answer ({e.Message}); a rebuilt site catches up from it.", "bring the primary back (or promote another) first.");
        }

        var backups = Backups(state);
        var offsite = copy switch
        {
            RebuildCopy.Offsite => true,
            RebuildCopy.Primary => false,
            _ => sites.All(s => s.Region != _topology.PrimaryRegion),
        };
        var (storage, copyName) = offsite ? (backups.OffsiteStorage, "offsite copy") : (backups.Storage, "backup bucket");
        var catalog = await BackupCatalog.LoadAsync(storage, ct);
        var (usable, aside) = BackupSeed.Candidates(catalog, primary.BinlogState, primary.OldestBinlogStart);
        foreach (var reason in aside)
        {
            _log.Warn($"not used: {reason}");
        }

        if (usable.Count == 0)
        {
            throw new OperationFailedException(
                $"the {(offsite ? "offsite copy" : "backup bucket")} holds no physical backup {siteName} can be rebuilt from" +
                (aside.Count == 0 ? "." : $":\n    {string.Join("\n    ", aside)}"),
                "take a full backup (local backup run full) and let it reach that copy, or rebuild from the other copy (--from).");
        }

        // The servers of the rebuilt hosts only; configs are written, and everything started, by RealizeLockedAsync below.
        var network = Network(state);
        var servers = hosts.ToDictionary(h => h.Name, h => Server(h, binaries, network), StringComparer.Ordinal);
        var markers = Path.Combine(Paths.Root, "rebuild");
        var refused = hosts
            .Where(h => servers[h.Name].IsInitialized && !File.Exists(Path.Combine(markers, h.Name)) && !force)
            .Select(h => $"{h.Name} has a datadir ({LocalTeardown.DirectorySize(servers[h.Name].Paths.DataDir) / 1048576} MiB{(servers[h.Name].IsRunning ? ", running" : "")})")
            .ToList();
        if (refused.Count > 0)
        {
            throw new OperationFailedException(
                $"rebuilding {siteName} would replace data: {string.Join("; ", refused)}. Nothing was changed.",
                $"if the site is lost or stale, run it again with --force (its datadirs are replaced by the {copyName}'s newest usable backup).");
        }

        _log.Step("plan", $"{siteName}: {string.Join(", ", hosts.Select(h => h.Name))} from the {copyName} ({usable.Count} usable backup(s), newest {usable.FirstOrDefault()?.Id ?? "none"}); then catch-up from {live.Primary.Name} by GTID");
        Directory.CreateDirectory(markers);
        var seed = new BackupSeed(storage, backups.Identity(), _connector, _log);
        var rebuilt = new List<RebuiltHost>();
        var positions = new Dictionary<string, GtidPosition>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            var server = servers[host.Name];
            await File.WriteAllTextAsync(Path.Combine(markers, host.Name), $"rebuild of {siteName} started {DateTimeOffset.UtcNow:O}\n", ct);
            if (server.IsRunning)
            {
                await server.StopAsync(ct);
                _log.Step("stop", $"{host.Name}: stopped");
            }

            var work = Path.Combine(markers, host.Name + ".work");
            var restored = await seed.RestoreAsync(host.Name, catalog, usable, primary.BinlogState, work, $"{copyName}", ct);
            File.Delete(server.Paths.InitializedMarker);
            if (Directory.Exists(server.Paths.DataDir))
            {
                Directory.Delete(server.Paths.DataDir, recursive: true);
            }

            Directory.CreateDirectory(server.Paths.Dir);
            Directory.Move(restored.DataDir, server.Paths.DataDir);
            Directory.Delete(work, recursive: true);
            await File.WriteAllTextAsync(server.Paths.InitializedMarker, "", ct);
            rebuilt.Add(new RebuiltHost(host.Name, restored.Backup.Id, restored.Bytes, restored.Elapsed));
            positions[host.Name] = restored.Position;
        }

        var catchUp = Stopwatch.StartNew();
        var realized = await RealizeLockedAsync(binaries, new SeedOptions(), ct);
        foreach (var (host, position) in positions)
        {
            await using var client = await _connector.ConnectAsync(AdminOf(host), ct);
            await BackupSeed.SetPositionAsync(client, _connector, AdminOf(host), position, primary.BinlogState, ct);
        }

        var result = await BootstrapAsync(realized.State, realized.Password, writeCanary: true, ct);
        await Endpoint(realized.State).EnsureAsync(result.Term.Primary, result.Term.Term, ct);
        var caughtUp = catchUp.Elapsed;
        _log.Step("catch-up", $"{string.Join(", ", rebuilt.Select(r => r.Host))} replicate from {result.Term.Primary} and applied its position in {caughtUp.TotalSeconds:0.0} s");

        var verifier = new ChecksumVerifier(_connector, _log);
        var tables = 0;
        foreach (var host in rebuilt)
        {
            tables = await verifier.VerifyAsync(AdminOf(result.Term.Primary), AdminOf(host.Host), ct);
            File.Delete(Path.Combine(markers, host.Host));
        }

        await backups.ApplyAsync(realized.State, _agent, _toolkit, ct);
        return new SiteRebuildResult(siteName, copyName, rebuilt, caughtUp, clock.Elapsed, tables);
    }
}
