using HaInfra.Model.Backups;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Backup storage when the stack backs up to s3: a bucket in the primary region and, when the stack has another
/// region, an offsite bucket there receiving cross-region replication. Both versioned, SSE-KMS with the region's key,
/// public access blocked, owner-enforced, TLS-only, with lifecycle rules from the stack's backup policy.
/// </summary>
internal static class BackupBuckets
{
    public const int NoncurrentVersionDays = 30;
    public const int AbortMultipartDays = 7;

    public static void Add(AwsContext ctx)
    {
        var policy = ctx.Topology.Backup;
        if (!policy.Enabled || policy.Destination != BackupDestination.S3)
        {
            return;
        }

        var bucket = AddBucket(ctx, "backup", ctx.PrimaryRegion, policy);
        var drRegion = ctx.Topology.Regions.Skip(1).FirstOrDefault();
        Resource? offsite = null;
        if (drRegion is not null)
        {
            offsite = AddBucket(ctx, "offsite", drRegion, policy);
            AddReplication(ctx, bucket, offsite, drRegion);
        }

        ctx.Backup = new BackupBucketResources(bucket, offsite);
    }

    private static Resource AddBucket(AwsContext ctx, string part, string region, BackupPolicy policy)
    {
        var via = ctx.Via(region);
        var name = $"hainfra-{ctx.Topology.Stack}-{part}";
        var bucket = ctx.Graph.Add($"{part}_bucket", "aws:s3:Bucket", P.Map(
            ("bucketPrefix", BucketPrefix(ctx.Topology.Stack, part)),
            ("forceDestroy", false),
            ("tags", AwsContext.Tags(name))), via);
        ctx.Graph.Add($"{part}_versioning", "aws:s3:BucketVersioning", P.Map(
            ("bucket", bucket["id"]),
            ("versioningConfiguration", P.Map(("status", "Enabled")))), via);
        ctx.Graph.Add($"{part}_encryption", "aws:s3:BucketServerSideEncryptionConfiguration", P.Map(
            ("bucket", bucket["id"]),
            ("rules", P.List(P.Map(
                ("applyServerSideEncryptionByDefault", P.Map(("sseAlgorithm", "aws:kms"), ("kmsMasterKeyId", ctx.Keys[region]["arn"]))),
                ("bucketKeyEnabled", true))))), via);
        var publicAccess = ctx.Graph.Add($"{part}_public-access", "aws:s3:BucketPublicAccessBlock", P.Map(
            ("bucket", bucket["id"]),
            ("blockPublicAcls", true),
            ("blockPublicPolicy", true),
            ("ignorePublicAcls", true),
            ("restrictPublicBuckets", true)), via);
        ctx.Graph.Add($"{part}_ownership", "aws:s3:BucketOwnershipControls", P.Map(
            ("bucket", bucket["id"]),
            ("rule", P.Map(("objectOwnership", "BucketOwnerEnforced")))), via);
        ctx.Graph.Add($"{part}_policy", "aws:s3:BucketPolicy", P.Map(
            ("bucket", bucket["id"]),
            ("policy", P.ToJson(Iam.Document(Iam.Statement("DenyInsecureTransport", "s3:*",
                P.List(bucket["arn"], P.Join(bucket["arn"], "/*")), null,
                P.Map(("Bool", P.Map(("aws:SecureTransport", "false")))), effect: "Deny", principalAll: true))))),
            ctx.Via(region, ("dependsOn", P.List(publicAccess.Ref))));
        ctx.Graph.Add($"{part}_lifecycle", "aws:s3:BucketLifecycleConfiguration", P.Map(
            ("bucket", bucket["id"]),
            ("rules", P.List(LifecycleRules(policy)))), via);
        return bucket;
    }

    private static IEnumerable<PValue> LifecycleRules(BackupPolicy policy)
    {
        var r = policy.Retention;
        var l = policy.Lifecycle;
        yield return Rule("full-backups", P.Map(("prefix", "full/")),
            ("transitions", P.List(
                P.Map(("days", l.FullToInfrequentAccessDays), ("storageClass", "STANDARD_IA")),
                P.Map(("days", l.FullToArchiveDays), ("storageClass", "GLACIER")))),
            ("expiration", P.Map(("days", r.FullDays))));
        yield return Rule("incremental-backups", P.Map(("prefix", "incremental/")), ("expiration", P.Map(("days", r.IncrementalDays))));
        yield return Rule("logical-backups", P.Map(("prefix", "logical/")), ("expiration", P.Map(("days", r.LogicalDays))));
        yield return Rule("binlogs", P.Map(("prefix", "binlog/")), ("expiration", P.Map(("days", r.BinlogDays))));
        yield return Rule("noncurrent-versions", PMap.Empty, ("noncurrentVersionExpiration", P.Map(("noncurrentDays", NoncurrentVersionDays))));
        yield return Rule("incomplete-uploads", PMap.Empty, ("abortIncompleteMultipartUpload", P.Map(("daysAfterInitiation", AbortMultipartDays))));
    }

    private static PMap Rule(string id, PMap filter, params (string Key, PValue? Value)[] actions) =>
        P.Map([("id", id), ("status", "Enabled"), ("filter", filter), .. actions]);

    // The offsite copy: every object version replicated to the DR region, re-encrypted there with that region's key.
    private static void AddReplication(AwsContext ctx, Resource source, Resource target, string drRegion)
    {
        var primary = ctx.PrimaryRegion;
        var via = ctx.Via(primary);
        var role = ctx.Graph.Add("offsite_replication-role", "aws:iam:Role", P.Map(
            ("description", $"HaInfra {ctx.Topology.Stack}: S3 replicates backups to {drRegion}"),
            ("assumeRolePolicy", P.ToJson(Iam.Document(Iam.Statement("AssumedByS3", "sts:AssumeRole", null, P.Map(("Service", "s3.amazonaws.com")))))),
            ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-offsite-replication"))), via);
        ctx.Graph.Add("offsite_replication-policy", "aws:iam:RolePolicy", P.Map(
            ("role", role["id"]),
            ("policy", P.ToJson(Iam.Document(
                Iam.Statement("ReadSource", P.Texts(["s3:GetReplicationConfiguration", "s3:ListBucket"]), source["arn"]),
                Iam.Statement("ReadSourceVersions", P.Texts(["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]),
                    P.Join(source["arn"], "/*")),
                Iam.Statement("WriteReplicas", P.Texts(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]), P.Join(target["arn"], "/*")),
                Iam.Statement("DecryptSource", "kms:Decrypt", ctx.Keys[primary]["arn"]),
                Iam.Statement("EncryptReplicas", "kms:Encrypt", ctx.Keys[drRegion]["arn"]))))), via);
        ctx.Graph.Add("offsite_replication", "aws:s3:BucketReplicationConfig", P.Map(
            ("bucket", source["id"]),
            ("role", role["arn"]),
            ("rules", P.List(P.Map(
                ("id", "offsite-copy"),
                ("status", "Enabled"),
                ("filter", PMap.Empty),
                ("deleteMarkerReplication", P.Map(("status", "Disabled"))),
                ("sourceSelectionCriteria", P.Map(("sseKmsEncryptedObjects", P.Map(("status", "Enabled"))))),
                ("destination", P.Map(
                    ("bucket", target["arn"]),
                    ("storageClass", "STANDARD"),
                    ("encryptionConfiguration", P.Map(("replicaKmsKeyId", ctx.Keys[drRegion]["arn"]))))))))),
            ctx.Via(primary, ("dependsOn", P.List(new PRef("backup_versioning"), new PRef("offsite_versioning")))));
    }

    /// <summary>S3 names are lower-case and at most 63 characters; Pulumi appends a random suffix to the prefix.</summary>
    private static string BucketPrefix(string stack, string part)
    {
        var clean = new string([.. stack.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        var prefix = $"hainfra-{clean}-{part}-";
        return prefix.Length <= 37 ? prefix : $"hainfra-{clean[..(37 - 10 - part.Length)]}-{part}-";
    }
}
