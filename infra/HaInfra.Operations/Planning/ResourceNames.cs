namespace HaInfra.Operations.Planning;

/// <summary>How the synthesized programs name a host's resources: <c>&lt;host&gt;_&lt;part&gt;</c> (both clouds).</summary>
public static class ResourceNames
{
    public static bool BelongsTo(string resource, string host) =>
        resource.Length > host.Length + 1 && resource.StartsWith(host, StringComparison.Ordinal) && resource[host.Length] == '_';
}
