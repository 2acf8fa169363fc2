namespace HaInfra.Model.Validation;

/// <summary>How each cloud names the zones of a region: aws appends a letter, azure numbers them 1-3.</summary>
internal static class ZoneNames
{
    public static bool BelongsTo(CloudKind? cloud, string? region, string zone) => cloud switch
    {
        CloudKind.Aws => region is not null && zone.Length == region.Length + 1 && zone.StartsWith(region, StringComparison.Ordinal) && char.IsAsciiLetterLower(zone[^1]),
        CloudKind.Azure => zone is "1" or "2" or "3",
        _ => true,
    };

    public static string Fix(CloudKind? cloud, string? region) => cloud switch
    {
        CloudKind.Aws => $"aws zones are the region plus a letter, e.g. {region}a.",
        CloudKind.Azure => "azure zones are 1, 2 or 3.",
        _ => "use a zone of the site's region.",
    };
}
