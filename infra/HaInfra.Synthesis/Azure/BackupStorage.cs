using HaInfra.Model.Backups;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Backup storage when the stack backs up to azure-blob: a StorageV2 account in the primary region and, when the
/// stack has another region, an offsite account there filled by object replication. Both: TLS 1.2 minimum, HTTPS
/// only, no public blob access, shared-key access off (Entra ID only: hosts upload with their managed identity),
/// blob versioning, soft delete, change feed, a private container and a lifecycle policy from the stack's backup
/// policy. Redundancy is LRS: the Archive tier the lifecycle moves full backups to is not available on ZRS or GZRS
/// accounts, and the offsite account in the DR region is the copy that survives losing the primary region.
/// Each host's identity may write blobs of the backup container only (Storage Blob Data Contributor on it).
/// </summary>
internal static class BackupStorage
{
    public const string Container = "backups";

    /// <summary>LRS: compatible with the Archive tier (ZRS, GZRS and RA-GZRS are not).</summary>
    public const string Redundancy = "LRS";

    public const int NoncurrentVersionDays = 30;
    public const int SoftDeleteDays = 30;

    public static void Add(AzureContext ctx)
    {
        var policy = ctx.Topology.Backup;
        if (!policy.Enabled || policy.Destination != BackupDestination.AzureBlob)
        {
            return;
        }

        var (account, container) = AddAccount(ctx, "backup", "b", ctx.PrimaryRegion, policy);
        var drRegion = ctx.Topology.Regions.Skip(1).FirstOrDefault();
        Resource? offsite = null, offsiteContainer = null;
        if (drRegion is not null)
        {
            (offsite, offsiteContainer) = AddAccount(ctx, "offsite", "o", drRegion, policy);
            ctx.Graph.Add("offsite_replication", "azure:storage:ObjectReplication", P.Map(
                ("sourceStorageAccountId", account["id"]),
                ("destinationStorageAccountId", offsite["id"]),
                ("rules", P.List(P.Map(
                    ("sourceContainerName", container["name"]),
                    ("destinationContainerName", offsiteContainer["name"]),
                    ("copyBlobsCreatedAfter", "Everything"))))), ctx.Via());
        }

        foreach (var host in ctx.Topology.Hosts)
        {
            ctx.Graph.Add(AzureNames.Host(host.Name, "writes-backups"), "azure:authorization:Assignment", P.Map(
                ("scope", container["resourceManagerId"]),
                ("roleDefinitionName", "Storage Blob Data Contributor"),
                ("principalId", ctx.Hosts[host.Name].Identity["principalId"]),
                ("principalType", "ServicePrincipal"),
                ("description", $"HaInfra {ctx.Stack}: {host.Name} uploads backups to the backup container")), ctx.Via());
        }

        ctx.Backup = new BackupAccounts(account, container, offsite, offsiteContainer);
    }

    private static (Resource Account, Resource Container) AddAccount(AzureContext ctx, string part, string code, string region, BackupPolicy policy)
    {
        var account = ctx.Graph.Add($"{part}_account", "azure:storage:Account", P.Map([
            // 3-24 lower-case letters and digits, unique across azure: "hai", the stack, the kind, a random suffix.
            ("name", P.Join($"hai{AzureNames.Compact(ctx.Stack, 12)}{code}", ctx.NameSuffix["result"])),
            .. ctx.In(region),
            ("accountKind", "StorageV2"),
            ("accountTier", "Standard"),
            ("accountReplicationType", Redundancy),
            ("accessTier", "Hot"),
            ("minTlsVersion", "TLS1_2"),
            ("httpsTrafficOnlyEnabled", true),
            ("allowNestedItemsToBePublic", false),
            ("sharedAccessKeyEnabled", false),
            ("defaultToOauthAuthentication", true),
            ("infrastructureEncryptionEnabled", true),
            ("crossTenantReplicationEnabled", false),
            ("blobProperties", P.Map(
                ("versioningEnabled", true),
                ("changeFeedEnabled", true),
                ("deleteRetentionPolicy", P.Map(("days", SoftDeleteDays))),
                ("containerDeleteRetentionPolicy", P.Map(("days", SoftDeleteDays))))),
            ("tags", ctx.Tags(("part", part)))]), ctx.Via());
        var container = ctx.Graph.Add($"{part}_container", "azure:storage:Container", P.Map(
            ("name", Container),
            ("storageAccountId", account["id"]),
            ("containerAccessType", "private")), ctx.Via());
        ctx.Graph.Add($"{part}_lifecycle", "azure:storage:ManagementPolicy", P.Map(
            ("storageAccountId", account["id"]),
            ("rules", P.List(LifecycleRules(policy)))), ctx.Via());
        return (account, container);
    }

    private static IEnumerable<PValue> LifecycleRules(BackupPolicy policy)
    {
        var r = policy.Retention;
        var l = policy.Lifecycle;
        yield return Rule("full-backups", "full/", P.Map(
            ("tierToCoolAfterDaysSinceModificationGreaterThan", l.FullToInfrequentAccessDays),
            ("tierToArchiveAfterDaysSinceModificationGreaterThan", l.FullToArchiveDays),
            ("deleteAfterDaysSinceModificationGreaterThan", r.FullDays)));
        yield return Rule("incremental-backups", "incremental/", Delete(r.IncrementalDays));
        yield return Rule("logical-backups", "logical/", Delete(r.LogicalDays));
        yield return Rule("binlogs", "binlog/", Delete(r.BinlogDays));
        yield return P.Map(
            ("name", "noncurrent-versions"),
            ("enabled", true),
            ("filters", P.Map(("blobTypes", P.Texts(["blockBlob"])))),
            ("actions", P.Map(("version", P.Map(("deleteAfterDaysSinceCreation", NoncurrentVersionDays))))));
    }

    private static PMap Delete(int days) => P.Map(("deleteAfterDaysSinceModificationGreaterThan", days));

    private static PMap Rule(string name, string prefix, PMap baseBlob) => P.Map(
        ("name", name),
        ("enabled", true),
        ("filters", P.Map(("blobTypes", P.Texts(["blockBlob"])), ("prefixMatches", P.Texts([$"{Container}/{prefix}"])))),
        ("actions", P.Map(("baseBlob", baseBlob))));
}
