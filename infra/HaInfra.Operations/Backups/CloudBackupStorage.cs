using System.Text.Json;
using System.Text.Json.Nodes;
using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Model.Outputs;

namespace HaInfra.Operations.Backups;

/// <summary>
/// A cloud stack's backup storage as an operator reaches it: the bucket named in the stack's outputs document,
/// in the primary region (or the DR region's offsite copy), with the operator's own credentials from the
/// environment (rclone's env_auth: AWS_PROFILE, AWS_ACCESS_KEY_ID, …). An endpoint serves S3-compatible stores.
/// </summary>
public static class CloudBackupStorage
{
    public const string EndpointVariable = "HAINFRA_S3_ENDPOINT";

    /// <summary>The storage, or every problem at once (each naming the stack key or the outputs field, and the fix).</summary>
    public static (BackupStorage? Storage, IReadOnlyList<string> Problems) Resolve(
        Topology topology, string outputsJson, string source, bool offsite, string? endpoint)
    {
        var problems = new List<string>();
        var policy = topology.Backup;
        if (!policy.Enabled)
        {
            problems.Add($"hainfra:backup.enabled = false in stack '{topology.Stack}': it has no backups. Fix: enable the backup policy and run pulumi up.");
        }
        else if (policy.Destination != BackupDestination.S3)
        {
            problems.Add($"hainfra:backup.destination = '{policy.Destination}': the cloud backup verbs read S3 buckets so far (the Azure program is not synthesized yet). " +
                "Fix: use an aws stack, or the local target's `local backup` verbs.");
        }

        var bucket = Bucket(outputsJson, source, offsite ? StackOutputNames.OffsiteBucket : StackOutputNames.BackupBucket, problems);
        var region = offsite ? (topology.Regions.Count > 1 ? topology.Regions[1] : null) : topology.Regions[0];
        if (offsite && region is null)
        {
            problems.Add($"--offsite: stack '{topology.Stack}' has a single region, so no offsite copy. Fix: drop --offsite.");
        }

        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            problems.Add($"${EndpointVariable} = '{endpoint}': not an absolute URL. Fix: e.g. https://s3.example.internal:9000, or unset it for AWS.");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var storage = BackupStorage.S3(bucket!, region!);
        return (endpoint is null ? storage : storage.AtEndpoint(endpoint), []);
    }

    private static string? Bucket(string json, string source, string field, List<string> problems)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            problems.Add($"{source}: is not JSON ({e.Message}). Fix: pass the output of `pulumi stack output --json`.");
            return null;
        }

        var name = (root?[StackOutputNames.Buckets] as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"{source}: {StackOutputNames.Buckets}.{field} is missing. Fix: pass the output of `pulumi stack output --json` of a stack deployed with backups on.");
        }

        return name;
    }
}
