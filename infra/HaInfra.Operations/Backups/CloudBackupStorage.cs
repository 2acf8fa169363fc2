using System.Text.Json;
using System.Text.Json.Nodes;
using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Model.Outputs;

namespace HaInfra.Operations.Backups;

/// <summary>
/// A cloud stack's backup storage as an operator reaches it: the bucket (aws) or the storage account and container
/// (azure) named in the stack's outputs document, in the primary region (or the DR region's offsite copy), with the
/// operator's own credentials from the environment — on aws rclone's env_auth (AWS_PROFILE, AWS_ACCESS_KEY_ID, …); on
/// azure whatever RCLONE_CONFIG_BACKUP_* the operator sets (SAS_URL, SERVICE_PRINCIPAL_FILE, USE_MSI on an Azure VM):
/// the accounts refuse shared keys, and nothing of it is printed. An endpoint serves S3-compatible stores, or an Azure
/// Blob emulator (azurite).
/// </summary>
public static class CloudBackupStorage
{
    public const string EndpointVariable = "HAINFRA_S3_ENDPOINT";

    /// <summary>An Azure Blob emulator's endpoint (azurite's http://127.0.0.1:PORT/devstoreaccount1): its well-known account and key.</summary>
    public const string AzureEndpointVariable = "HAINFRA_AZURE_BLOB_ENDPOINT";

    /// <summary>The storage, or every problem at once (each naming the stack key or the outputs field, and the fix).</summary>
    public static (BackupStorage? Storage, IReadOnlyList<string> Problems) Resolve(
        Topology topology, string outputsJson, string source, bool offsite, string? endpoint, string? azureEndpoint = null)
    {
        var problems = new List<string>();
        var policy = topology.Backup;
        var azure = policy.Destination == BackupDestination.AzureBlob;
        if (!policy.Enabled)
        {
            problems.Add($"hainfra:backup.enabled = false in stack '{topology.Stack}': it has no backups. Fix: enable the backup policy and run pulumi up.");
        }
        else if (policy.Destination == BackupDestination.Directory)
        {
            problems.Add($"hainfra:backup.destination = directory in stack '{topology.Stack}': a directory lives on the backup host, not in the cloud. " +
                "Fix: use s3 or azure-blob for a cloud stack, or the local target's `local backup` verbs.");
        }

        var root = Root(outputsJson, source, problems);
        var bucket = Field(root, source, offsite ? StackOutputNames.OffsiteBucket : StackOutputNames.BackupBucket, problems);
        var account = azure ? Field(root, source, offsite ? StackOutputNames.OffsiteAccount : StackOutputNames.BackupAccount, problems) : null;
        var region = offsite ? (topology.Regions.Count > 1 ? topology.Regions[1] : null) : topology.Regions[0];
        if (offsite && region is null)
        {
            problems.Add($"--offsite: stack '{topology.Stack}' has a single region, so no offsite copy. Fix: drop --offsite.");
        }

        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            problems.Add($"${EndpointVariable} = '{endpoint}': not an absolute URL. Fix: e.g. https://s3.example.internal:9000, or unset it for AWS.");
        }

        if (azureEndpoint is not null && !Uri.TryCreate(azureEndpoint, UriKind.Absolute, out _))
        {
            problems.Add($"${AzureEndpointVariable} = '{azureEndpoint}': not an absolute URL. Fix: e.g. http://127.0.0.1:10000/devstoreaccount1 for azurite, or unset it for Azure.");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        if (azure)
        {
            // The operator's credentials come from their environment; the emulator has its well-known account and key.
            var blob = new BackupStorage(bucket!, [new("TYPE", "azureblob"), new("ACCOUNT", account!)], "");
            return (azureEndpoint is null ? blob : blob with { Rclone = [new("TYPE", "azureblob"), new("USE_EMULATOR", "true"), new("ENDPOINT", azureEndpoint)] }, []);
        }

        var storage = BackupStorage.S3(bucket!, region!);
        return (endpoint is null ? storage : storage.AtEndpoint(endpoint), []);
    }

    private static JsonObject? Root(string json, string source, List<string> problems)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            problems.Add($"{source}: is not JSON ({e.Message}). Fix: pass the output of `pulumi stack output --json`.");
            return null;
        }
    }

    private static string? Field(JsonObject? root, string source, string field, List<string> problems)
    {
        if (root is null)
        {
            return null;
        }

        var name = (root[StackOutputNames.Buckets] as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"{source}: {StackOutputNames.Buckets}.{field} is missing. Fix: pass the output of `pulumi stack output --json` of a stack deployed with backups on.");
        }

        return name;
    }
}
