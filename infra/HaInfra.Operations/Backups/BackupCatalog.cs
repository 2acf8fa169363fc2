using HaInfra.Model.Backups;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Backups;

/// <summary>A manifest that is in storage but cannot be read: listed with the reason, never used, never pruned.</summary>
public sealed record UnreadableManifest(string Key, string Reason)
{
    public string Directory => Key[..Key.LastIndexOf('/')];
}

/// <summary>
/// Every backup and archived binlog segment in storage, read from their manifests. Objects without a manifest
/// are unfinished uploads: listed as such, never used. A manifest that cannot be read is listed as unreadable with
/// the reason; the objects beside it are kept (not taken for unfinished uploads) until an operator decides.
/// </summary>
public sealed class BackupCatalog
{
    private const string ManifestName = "/manifest.json";

    private BackupCatalog(IReadOnlyList<BackupManifest> manifests, IReadOnlyList<RemoteObject> unfinished, IReadOnlySet<string> keys,
        IReadOnlyList<UnreadableManifest>? unreadable = null)
    {
        Keys = keys;
        Unreadable = unreadable ?? [];
        Backups = [.. manifests.Where(m => !m.IsBinlog).OrderBy(m => m.Finished).ThenBy(m => m.Id, StringComparer.Ordinal)];
        Binlogs = [.. manifests.Where(m => m.IsBinlog).OrderBy(m => FirstSequence(m)).ThenBy(m => m.Id, StringComparer.Ordinal)];
        Unfinished = unfinished;
    }

    public IReadOnlyList<BackupManifest> Backups { get; }

    public IReadOnlyList<BackupManifest> Binlogs { get; }

    public IReadOnlyList<RemoteObject> Unfinished { get; }

    /// <summary>Manifests that did not parse (corrupt, truncated, missing fields), each with why.</summary>
    public IReadOnlyList<UnreadableManifest> Unreadable { get; }

    /// <summary>Every key in storage.</summary>
    public IReadOnlySet<string> Keys { get; }

    /// <param name="listAll">Also list every object, for unfinished uploads and prune; a restore needs only manifests.</param>
    public static async Task<BackupCatalog> LoadAsync(Rclone storage, CancellationToken ct, bool listAll = true)
    {
        var objects = listAll ? await storage.ListAsync("", ct) : [];
        var manifests = new List<BackupManifest>();
        var unreadable = new List<UnreadableManifest>();

        // All manifests in one transfer: one rclone run instead of one per backup.
        var local = Directory.CreateTempSubdirectory("hainfra-manifests-").FullName;
        try
        {
            await storage.CopyMatchingAsync("**/manifest.json", local, ct);
            foreach (var file in Directory.EnumerateFiles(local, "manifest.json", SearchOption.AllDirectories))
            {
                var key = Path.GetRelativePath(local, file).Replace(Path.DirectorySeparatorChar, '/');
                try
                {
                    manifests.Add(BackupManifest.Parse(await File.ReadAllTextAsync(file, ct), key));
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or FormatException)
                {
                    unreadable.Add(new UnreadableManifest(key, e.Message));
                }
            }
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }

        var described = manifests.Select(m => m.DataKey).Concat(manifests.Select(m => m.Key)).ToHashSet(StringComparer.Ordinal);
        var unfinished = objects.Where(o => !described.Contains(o.Key) && !o.Key.EndsWith("/checksums.json.age", StringComparison.Ordinal)
            && !o.Key.StartsWith(VerifyStatus.Prefix, StringComparison.Ordinal)
            && !unreadable.Any(u => o.Key.StartsWith(u.Directory + "/", StringComparison.Ordinal))).ToList();
        return new BackupCatalog(manifests, unfinished, objects.Select(o => o.Key).ToHashSet(StringComparer.Ordinal), unreadable);
    }

    /// <summary>A catalog of the given manifests, every one complete (for planning and tests).</summary>
    public static BackupCatalog From(IReadOnlyList<BackupManifest> manifests, IReadOnlyList<RemoteObject> unfinished)
    {
        var keys = manifests.SelectMany(m => new[] { m.Key, m.DataKey }).Concat(unfinished.Select(u => u.Key)).ToHashSet(StringComparer.Ordinal);
        return new BackupCatalog(manifests, unfinished, keys);
    }

    public BackupManifest Find(string id) =>
        Backups.FirstOrDefault(b => b.Id == id) ?? throw (Unreadable.FirstOrDefault(u => u.Directory.EndsWith("/" + id, StringComparison.Ordinal)) is { } unreadable
            ? new OperationFailedException($"backup '{id}' has an unreadable manifest ({unreadable.Key}: {unreadable.Reason}); it is never used.",
                "pick another backup from `backup list`, and check the storage for what altered this one.")
            : new OperationFailedException(
                $"there is no backup '{id}' (backups: {string.Join(", ", Backups.TakeLast(5).Select(b => b.Id))}{(Backups.Count > 5 ? ", …" : "")}).",
                "pick an id from `backup list`."));

    public BackupManifest Latest(Func<BackupManifest, bool>? filter = null) =>
        Backups.LastOrDefault(filter ?? (_ => true)) ?? throw new OperationFailedException(
            "there is no backup in storage yet.", "run one (local backup run full) or wait for the schedule.");

    /// <summary>The backups a restore of <paramref name="backup"/> applies, full first. A missing link is an error.</summary>
    public IReadOnlyList<BackupManifest> ChainOf(BackupManifest backup)
    {
        var chain = new List<BackupManifest> { backup };
        while (chain[0].KindOf == BackupKind.Incremental)
        {
            var parentId = chain[0].Parent;
            var parent = Backups.FirstOrDefault(b => b.Id == parentId) ?? throw new OperationFailedException(
                $"backup {backup.Id} cannot be restored: {chain[0].Id} builds on {parentId}, which is not in storage (missing chain link).",
                $"restore an older complete chain, or take a new full backup; `backup list` shows the chains.");
            chain.Insert(0, parent);
        }

        return chain;
    }

    public static ulong FirstSequence(BackupManifest segment) =>
        GtidPosition.TryParse(segment.FirstGtid, out var g) && !g.IsEmpty ? g.Gtids[0].Sequence : ulong.MaxValue;

    public static ulong LastSequence(BackupManifest segment) =>
        GtidPosition.TryParse(segment.LastGtid, out var g) && !g.IsEmpty ? g.Gtids[0].Sequence : 0;
}
