using System.Text.Json;
using System.Text.Json.Serialization;
using HaInfra.Model.Backups;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Json;

namespace HaInfra.Operations.Backups;

/// <summary>
/// What the agent wrote beside every object: kind, chain, GTID and binlog position, times, sizes, the sha256 of
/// the stored (encrypted) bytes, recipients and tool versions. Its presence is what makes an upload a backup.
/// </summary>
public sealed record BackupManifest
{
    private static readonly JsonSerializerOptions Json = OperationsJson.For(new() { PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString });

    public int Format { get; init; }

    public string Stack { get; init; } = "";

    public string Host { get; init; } = "";

    public string Id { get; init; } = "";

    public string Kind { get; init; } = "";

    public string? Parent { get; init; }

    public string? Chain { get; init; }

    public string? Gtid { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Finished { get; init; }

    /// <summary>The stored (compressed, encrypted) data's key; "object" in the JSON.</summary>
    [JsonPropertyName("object")]
    public string DataKey { get; init; } = "";

    public long RawBytes { get; init; }

    public long StoredBytes { get; init; }

    public string Sha256 { get; init; } = "";

    public IReadOnlyList<string> Recipients { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tools { get; init; } = new Dictionary<string, string>();

    // Binlog segments only.
    public string? Source { get; init; }

    /// <summary>
    /// Which of the source's binlog histories the segment belongs to (a reset of the server's binlogs starts a new
    /// one, whose file numbers start again); null for segments archived before histories existed.
    /// </summary>
    public string? History { get; init; }

    public string? File { get; init; }

    public string? FirstGtid { get; init; }

    public string? LastGtid { get; init; }

    public string? FirstEvent { get; init; }

    public string? LastEvent { get; init; }

    /// <summary>Time of the segment's last event (its Rotate): the primary wrote nothing before this into a later segment.</summary>
    public string? ClosedAt { get; init; }

    /// <summary>Where this manifest is stored (set when read).</summary>
    [JsonIgnore]
    public string Key { get; init; } = "";

    /// <summary>The kind, or null for one this version does not know.</summary>
    public BackupKind? KindOf => BackupSpellings.Kind.TryParse(Kind, out var kind) ? kind : null;

    public bool IsPhysical => KindOf is BackupKind.Full or BackupKind.Incremental;

    public bool IsBinlog => KindOf == BackupKind.Binlog;

    /// <summary>The object's directory: checksums and the manifest live beside the data.</summary>
    public string Directory => Key[..Key.LastIndexOf('/')];

    public GtidPosition Position => GtidPosition.Parse(Gtid);

    /// <summary>The manifest at <paramref name="key"/>; InvalidDataException or JsonException when it is not a whole one.</summary>
    public static BackupManifest Parse(string json, string key)
    {
        var manifest = (JsonSerializer.Deserialize(json, OperationsJson.Info<BackupManifest>(Json)) ?? throw new InvalidDataException("the manifest is empty (null)")) with { Key = key };
        var missing = new[] { ("id", manifest.Id), ("kind", manifest.Kind) }.Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"the manifest has no {string.Join(" and no ", missing)}");
        }

        return manifest.Misplaced() is { } why ? throw new InvalidDataException(why) : manifest;
    }

    /// <summary>
    /// Why a manifest does not belong where it lies, or null: the agent writes each into the directory its kind, host
    /// and id name, beside its data. One copied over another backup's would otherwise describe that backup's
    /// directory with this one's object, GTID and checksums.
    /// </summary>
    private string? Misplaced()
    {
        var expected = $"{Kind}/{Host}/{Id}/manifest.json";
        var dataInPlace = Kind == "binlog" ? DataKey == Directory + ".zst.age" : DataKey.StartsWith(Directory + "/", StringComparison.Ordinal);
        return Key.Length == 0 || (Key == expected && dataInPlace)
            ? null
            : $"it describes {Kind} '{Id}' of {Host} (data {DataKey}) but lies at {Key}: moved or copied from another backup";
    }

    /// <summary>Event times as the agent wrote them ("2026-11-21T13:00:10Z"), or null for an empty segment ("-").</summary>
    public static DateTimeOffset? EventTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
