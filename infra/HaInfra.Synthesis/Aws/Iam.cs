using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// A role and instance profile per host with only what that host needs: SSM (operator access without SSH), the
/// CloudWatch agent, reading its own secrets, remote-writing metrics to the stack's workspace, and writing its own
/// backup prefixes.
/// </summary>
internal static class Iam
{
    /// <summary>Backup object kinds; each is a top-level prefix, so lifecycle rules can tell them apart.</summary>
    public static readonly string[] BackupKinds = [.. Enum.GetValues<BackupKind>().Select(BackupSpellings.Kind.Of)];

    private static readonly string[] ManagedPolicies =
    [
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ];

    /// <param name="galeraBootstrap">The Galera bootstrap record, for the first node only: the one parameter a host may write.</param>
    public static Resource ForHost(AwsContext ctx, Host host, string region, IReadOnlyList<Resource> secrets, Resource? galeraBootstrap = null)
    {
        var via = ctx.Via(region);
        var role = ctx.Graph.Add(AwsNames.Host(host.Name, "role"), "aws:iam:Role", P.Map(
            ("description", $"HaInfra {ctx.Topology.Stack} database host {host.Name}"),
            ("assumeRolePolicy", P.ToJson(Document(Statement("AssumedByEc2", "sts:AssumeRole", null, P.Map(("Service", "ec2.amazonaws.com")))))),
            ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{host.Name}", ("host", host.Name)))), via);
        foreach (var (policy, part) in ManagedPolicies.Zip(["ssm", "cloudwatch"]))
        {
            ctx.Graph.Add(AwsNames.Host(host.Name, part), "aws:iam:RolePolicyAttachment", P.Map(("role", role["name"]), ("policyArn", policy)), via);
        }

        ctx.Graph.Add(AwsNames.Host(host.Name, "policy"), "aws:iam:RolePolicy", P.Map(
            ("role", role["id"]),
            ("policy", P.ToJson(Document([.. HostStatements(ctx, host, region, secrets, galeraBootstrap)])))), via);
        return ctx.Graph.Add(AwsNames.Host(host.Name, "profile"), "aws:iam:InstanceProfile", P.Map(("role", role["name"])), via);
    }

    private static IEnumerable<PMap> HostStatements(AwsContext ctx, Host host, string region, IReadOnlyList<Resource> secrets, Resource? galeraBootstrap)
    {
        yield return Statement("ReadOwnSecrets", "ssm:GetParameter", P.List(secrets.Select(s => (PValue)s["arn"])));
        if (galeraBootstrap is not null)
        {
            yield return Statement("ClaimGaleraBootstrap", "ssm:PutParameter", galeraBootstrap["arn"]);
        }

        yield return Statement("DecryptOwnSecrets", "kms:Decrypt", ctx.Keys[region]["arn"], null,
            P.Map(("StringEquals", P.Map(("kms:ViaService", $"ssm.{region}.amazonaws.com")))));
        if (ctx.Monitoring is { } monitoring)
        {
            yield return Statement("WriteMetrics", "aps:RemoteWrite", monitoring.Workspace["arn"]);
        }

        if (ctx.Backup is not { } backup)
        {
            yield break;
        }

        var bucket = backup.Bucket["arn"];
        var ownObjects = P.List(BackupKinds.Select(k => (PValue)P.Join(bucket, $"/{k}/{host.Name}/*")));
        yield return Statement("WriteOwnBackups", P.Texts(["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]), ownObjects);
        // rclone reads a streamed upload's size and ETag back with HEAD, which S3 authorizes as s3:GetObject; without
        // it every backup fails after its last part. The objects are encrypted to the operators' keys: ciphertext here.
        yield return Statement("ReadBackOwnUploads", "s3:GetObject", ownObjects);
        yield return Statement("ListOwnBackups", "s3:ListBucket", bucket, null,
            P.Map(("StringLike", P.Map(("s3:prefix", P.Texts(BackupKinds.Select(k => $"{k}/{host.Name}/*")))))));
        // The agent mirrors the operators' restore-verification outcome into its metrics (rclone cat: HEAD, GET, and a
        // listing of the status/ prefix, and of "<object>/" when the object is missing: rclone looks for a directory of
        // that name); reading that one object is all a host may do outside its own prefixes.
        yield return Statement("ReadRestoreVerifyStatus", "s3:GetObject", P.Join(bucket, $"/{BackupStatusObjects.RestoreVerify}"));
        yield return Statement("ListStatus", "s3:ListBucket", bucket, null,
            P.Map(("StringLike", P.Map(("s3:prefix", P.Texts([BackupStatusObjects.Prefix, BackupStatusObjects.RestoreVerify, BackupStatusObjects.RestoreVerify + "/"]))))));
        yield return Statement("EncryptBackups", P.Texts(["kms:GenerateDataKey", "kms:Decrypt"]), ctx.Keys[ctx.PrimaryRegion]["arn"], null,
            P.Map(("StringEquals", P.Map(("kms:ViaService", $"s3.{ctx.PrimaryRegion}.amazonaws.com")))));
    }

    public static PMap Document(params PMap[] statements) => P.Map(("Version", "2012-10-17"), ("Statement", P.List(statements)));

    public static PMap Statement(
        string sid, PValue action, PValue? resource, PMap? principal = null, PMap? condition = null, string effect = "Allow", bool principalAll = false) => P.Map(
        ("Sid", sid),
        ("Effect", effect),
        ("Principal", principalAll ? "*" : principal),
        ("Action", action),
        ("Resource", resource),
        ("Condition", condition));
}
