using System.Text.RegularExpressions;
using HaInfra.Model.Network;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;

namespace HaInfra.Synthesis.Checks;

/// <summary>A resource of the program that breaks a rule, and how.</summary>
public sealed record SecurityViolation(SecurityRule Rule, string Resource, string Detail)
{
    public override string ToString() =>
        $"security rule {Rule.Id} ({Rule.Title}): {Resource} {Detail}{(Rule.ConfigPath is null ? "" : $"; set by {Rule.ConfigPath}")}. Fix: {Rule.Fix}.";
}

/// <summary>
/// The security rules (policy/rules.json) evaluated on a program before it is printed. aws: no public IP on database
/// hosts, IMDSv2, every volume and bucket encrypted, public access blocked, TLS-only buckets, 3306 not open to the
/// internet, no secret in user data. azure: no public IP, NSG 3306 not from the internet and no SSH from it, zones
/// pinned, password login off, encryption at host, no secret in custom data, storage HTTPS-only TLS 1.2, no public
/// blobs, no shared keys, versioning, lifecycle, Archive-capable redundancy, replication to the DR account, the metrics
/// workspace closed to queries from the internet, metrics publishing granted on the data collection rule only. Both: no
/// credential as literal text. Returns every violation.
/// </summary>
public static partial class SecurityPolicy
{
    private const int DatabasePort = 3306;
    private const int SshPort = 22;

    /// <summary>A CIDR this broad (or broader) outside private address space counts as the internet.</summary>
    private const int BroadestPublicPrefix = 8;

    private static readonly string[] PublicAccessBlocks = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

    public static IReadOnlyList<SecurityViolation> Check(PMap tree)
    {
        var found = new List<SecurityViolation>();
        var resources = Resources(tree).ToList();
        foreach (var (name, type, p) in resources)
        {
            switch (type)
            {
                case "aws:ec2:Instance":
                    Require(found, "no-public-ip", name, p["associatePublicIpAddress"] is PBool { Value: false }, "does not set associatePublicIpAddress: false");
                    Require(found, "imdsv2-required", name, (p["metadataOptions"] as PMap)?["httpTokens"] is PText { Value: "required" }, "allows IMDSv1");
                    Require(found, "encrypted-root-volume", name, (p["rootBlockDevice"] as PMap)?["encrypted"] is PBool { Value: true }, "has an unencrypted root volume");
                    Require(found, "no-inline-ebs", name, p["ebsBlockDevices"] is null, "declares inline ebsBlockDevices");
                    Require(found, "no-secret-in-user-data", name, !SecretInUserData(p["userData"]), "has a password or a private key in its user data");
                    break;
                case "aws:ec2:Subnet":
                    Require(found, "private-subnets", name, p["mapPublicIpOnLaunch"] is PBool { Value: false }, "hands out public IPs");
                    break;
                case "aws:ec2:Eip":
                    Require(found, "no-eip-on-hosts", name, p["instance"] is null && p["networkInterface"] is null, "is attached to a host");
                    break;
                case "aws:ebs:Volume":
                    Require(found, "encrypted-volumes", name, p["encrypted"] is PBool { Value: true } && p["kmsKeyId"] is not null, "is not encrypted with the stack's KMS key");
                    break;
                case "aws:ec2:SecurityGroup" or "aws:vpc:SecurityGroupIngressRule" or "aws:ec2:SecurityGroupRule":
                    // A group lists its ingress rules; the other two types are one rule each.
                    var rules = type == "aws:ec2:SecurityGroup" ? (p["ingress"] as PList)?.Items.OfType<PMap>() ?? [] : [p];
                    foreach (var source in rules.Select(OpenTo).OfType<string>())
                    {
                        found.Add(new SecurityViolation(SecurityRules.Get("no-world-3306"), name, $"allows {source} to port {DatabasePort}"));
                    }

                    break;
                case "aws:s3:Bucket":
                    CheckBucket(found, name, resources);
                    break;
                default:
                    AzureRules(found, name, type, p, resources);
                    break;
            }
        }

        CheckOffsiteReplication(found, resources);

        TemplateChecks.Walk(tree, (path, value) =>
        {
            if (value is PMap map)
            {
                foreach (var (key, _) in map.Entries.Where(e => PulumiYamlSchema.IsSecretProperty(e.Key) && HoldsLiteral(e.Value)))
                {
                    found.Add(new SecurityViolation(SecurityRules.Get("no-literal-credentials"), $"{path}.{key}", "is literal text"));
                }
            }
        });
        return found;
    }

    /// <summary>The azure rules: no public IP, NSGs, VMs, storage accounts and their containers.</summary>
    private static void AzureRules(List<SecurityViolation> found, string name, string type, PMap p, List<(string Name, string Type, PMap Properties)> resources)
    {
        switch (type)
        {
            case "azure:monitoring:Workspace":
                Require(found, "azure-metrics-workspace-private-query", name, p["publicNetworkAccessEnabled"] is PBool { Value: false }, "answers queries from the internet");
                break;
            case "azure:authorization:Assignment" when p["roleDefinitionName"] is PText { Value: "Monitoring Metrics Publisher" }:
                Require(found, "azure-metrics-publisher-on-rule-only", name,
                    p["scope"] is PRef { Path: "id" } scope && resources.Any(r => r.Type == "azure:monitoring:DataCollectionRule" && RefersTo(scope, r.Name)),
                    $"grants Monitoring Metrics Publisher on {p["scope"]}");
                break;
            case "azure:network:PublicIp":
                found.Add(new SecurityViolation(SecurityRules.Get("azure-no-public-ip"), name, "is a public IP"));
                break;
            case "azure:network:NetworkInterface":
                Require(found, "azure-no-public-ip", name, (p["ipConfigurations"] as PList)?.Items.OfType<PMap>().All(c => c["publicIpAddressId"] is null) != false,
                    "has a public IP");
                break;
            case "azure:network:NetworkSecurityGroup" or "azure:network:NetworkSecurityRule":
                var rules = type == "azure:network:NetworkSecurityGroup" ? (p["securityRules"] as PList)?.Items.OfType<PMap>() ?? [] : [p];
                foreach (var rule in rules)
                {
                    if (AzureOpenTo(rule, DatabasePort) is { } source)
                    {
                        found.Add(new SecurityViolation(SecurityRules.Get("azure-nsg-no-world-3306"), name, $"allows {source} to port {DatabasePort}"));
                    }

                    if (AzureOpenTo(rule, SshPort, internetOnly: true) is { } ssh)
                    {
                        found.Add(new SecurityViolation(SecurityRules.Get("azure-nsg-no-internet-ssh"), name, $"allows {ssh} to port {SshPort}"));
                    }
                }

                break;
            case "azure:compute:LinuxVirtualMachine":
                Require(found, "azure-vm-zone-pinned", name, p["zone"] is PText { Value.Length: > 0 }, "has no zone");
                Require(found, "azure-vm-no-password-login", name,
                    p["disablePasswordAuthentication"] is PBool { Value: true } && p["adminPassword"] is null && p["adminSshKeys"] is PList { Items.Count: > 0 },
                    "allows password login");
                Require(found, "azure-vm-encryption-at-host", name, p["encryptionAtHostEnabled"] is PBool { Value: true }, "is not encrypted at host");
                Require(found, "azure-no-secret-in-custom-data", name,
                    !SecretInUserData(p["customData"] is PFunction { Name: "toBase64" } f ? f.Argument : p["customData"]) && !SecretInUserData(p["userData"]),
                    "has a password or a private key in its custom data");
                break;
            case "azure:compute:ManagedDisk":
                Require(found, "azure-vm-zone-pinned", name, p["zone"] is PText { Value.Length: > 0 }, "has no zone");
                break;
            case "azure:storage:Container":
                Require(found, "azure-storage-no-public-blobs", name, p["containerAccessType"] is null or PText { Value: "private" }, "is public");
                break;
            case "azure:storage:Account":
                Require(found, "azure-storage-https-tls12", name,
                    p["httpsTrafficOnlyEnabled"] is PBool { Value: true } && p["minTlsVersion"] is PText { Value: "TLS1_2" }, "allows HTTP or TLS older than 1.2");
                Require(found, "azure-storage-no-public-blobs", name, p["allowNestedItemsToBePublic"] is PBool { Value: false }, "allows public blobs");
                Require(found, "azure-storage-no-shared-key", name, p["sharedAccessKeyEnabled"] is PBool { Value: false }, "allows shared-key access");
                Require(found, "azure-storage-versioning", name, (p["blobProperties"] as PMap)?["versioningEnabled"] is PBool { Value: true }, "has no blob versioning");
                Require(found, "azure-storage-lifecycle", name,
                    resources.Any(r => r.Type == "azure:storage:ManagementPolicy" && RefersTo(r.Properties["storageAccountId"], name)), "has no lifecycle policy");
                Require(found, "azure-storage-archive-redundancy", name, p["accountReplicationType"] is PText { Value: "LRS" or "GRS" or "RAGRS" },
                    $"uses {(p["accountReplicationType"] as PText)?.Value ?? "no"} redundancy, which has no Archive tier");
                break;
        }
    }

    /// <summary>With more than one storage account, each one that receives no replica (the backup account) replicates to another.</summary>
    private static void CheckOffsiteReplication(List<SecurityViolation> found, List<(string Name, string Type, PMap Properties)> resources)
    {
        var accounts = resources.Where(r => r.Type == "azure:storage:Account").Select(r => r.Name).ToList();
        if (accounts.Count < 2)
        {
            return;
        }

        var replications = resources.Where(r => r.Type == "azure:storage:ObjectReplication").Select(r => r.Properties).ToList();
        foreach (var account in accounts.Where(a => !replications.Any(r => RefersTo(r["destinationStorageAccountId"], a))))
        {
            Require(found, "azure-backup-offsite-replication", account, replications.Any(r => RefersTo(r["sourceStorageAccountId"], account)),
                "is not replicated to the DR account");
        }
    }

    private static bool RefersTo(PValue? value, string resource) => value is PRef { Root: var root } && root == resource;

    /// <summary>
    /// The first source of an inbound Allow NSG rule covering <paramref name="port"/> that is the internet ("*",
    /// "Internet", "Any", 0.0.0.0/0, or a /8-or-broader public range; with <paramref name="internetOnly"/> the first
    /// three and 0.0.0.0/0 only); null if none.
    /// </summary>
    private static string? AzureOpenTo(PMap rule, int port, bool internetOnly = false)
    {
        if (rule["direction"] is not PText { Value: "Inbound" } || rule["access"] is not PText { Value: "Allow" } || !CoversPort(rule, port))
        {
            return null;
        }

        var sources = ((rule["sourceAddressPrefixes"] as PList)?.Items ?? []).Append(rule["sourceAddressPrefix"] ?? new PText("")).OfType<PText>().Select(t => t.Value);
        return sources.FirstOrDefault(c => c is "*" or "Internet" or "Any" or "0.0.0.0/0" or "::/0"
            || (!internetOnly && Cidr.TryParse(c, out var cidr, out _) && cidr.PrefixLength <= BroadestPublicPrefix && !cidr.IsPrivate));
    }

    private static bool CoversPort(PMap rule, int port)
    {
        var ranges = ((rule["destinationPortRanges"] as PList)?.Items ?? []).Append(rule["destinationPortRange"] ?? new PText("")).OfType<PText>().Select(t => t.Value);
        return ranges.Any(r =>
        {
            if (r == "*")
            {
                return true;
            }

            var bounds = r.Split('-');
            return int.TryParse(bounds[0], out var from) && int.TryParse(bounds[^1], out var to) && from <= port && port <= to;
        });
    }

    private static IEnumerable<(string Name, string Type, PMap Properties)> Resources(PMap tree) =>
        (tree["resources"] as PMap ?? PMap.Empty).Entries.Select(e => e.Value is PMap r && r["type"] is PText type
            ? (e.Key, type.Value, r["properties"] as PMap ?? PMap.Empty)
            : (e.Key, "", PMap.Empty));

    private static void CheckBucket(List<SecurityViolation> found, string bucket, List<(string Name, string Type, PMap Properties)> resources)
    {
        bool Has(string type, Func<PMap, bool> ok) =>
            resources.Any(r => r.Type == type && r.Properties["bucket"] is PRef { Root: var root } && root == bucket && ok(r.Properties));
        Require(found, "bucket-sse-kms", bucket, Has("aws:s3:BucketServerSideEncryptionConfiguration", p =>
            (p["rules"] as PList)?.Items.OfType<PMap>().Any(r => (r["applyServerSideEncryptionByDefault"] as PMap)?["sseAlgorithm"] is PText { Value: "aws:kms" }) == true),
            "has no SSE-KMS default encryption");
        Require(found, "bucket-public-access-block", bucket, Has("aws:s3:BucketPublicAccessBlock", p => PublicAccessBlocks.All(k => p[k] is PBool { Value: true })),
            "does not block all public access");
        Require(found, "bucket-owner-enforced", bucket, Has("aws:s3:BucketOwnershipControls", p => (p["rule"] as PMap)?["objectOwnership"] is PText { Value: "BucketOwnerEnforced" }),
            "allows ACLs");
        Require(found, "bucket-tls-only", bucket, Has("aws:s3:BucketPolicy", DeniesInsecureTransport), "has no policy denying requests without TLS");
    }

    private static bool DeniesInsecureTransport(PMap policy)
    {
        var document = (policy["policy"] as PFunction)?.Argument as PMap;
        return (document?["Statement"] as PList)?.Items.OfType<PMap>().Any(s =>
            s["Effect"] is PText { Value: "Deny" }
            && s["Principal"] is PText { Value: "*" }
            && ((s["Condition"] as PMap)?["Bool"] as PMap)?["aws:SecureTransport"] is PText { Value: "false" }) == true;
    }

    /// <summary>The first source of an ingress rule covering 3306 that is the internet (or a /8-or-broader public range); null if none.</summary>
    private static string? OpenTo(PMap rule)
    {
        var from = (rule["fromPort"] as PNumber)?.Value ?? 0;
        var to = (rule["toPort"] as PNumber)?.Value ?? 65535;
        var protocol = (rule["protocol"] as PText)?.Value ?? "-1";
        if (!(protocol == "-1" || (from <= DatabasePort && DatabasePort <= to) || (from == 0 && to == 0)))
        {
            return null;
        }

        var cidrs = ((rule["cidrBlocks"] as PList)?.Items ?? []).Concat((rule["ipv6CidrBlocks"] as PList)?.Items ?? [])
            .Append(rule["cidrIpv4"] ?? new PText("")).OfType<PText>().Select(t => t.Value);
        return cidrs.FirstOrDefault(c => c == "::/0"
            || (Cidr.TryParse(c, out var cidr, out _) && cidr.PrefixLength <= BroadestPublicPrefix && !cidr.IsPrivate));
    }

    private static bool SecretInUserData(PValue? userData)
    {
        if (userData is null)
        {
            return false;
        }

        var text = YamlTemplateWriter.StringOf(userData);
        return text.Contains("PRIVATE KEY", StringComparison.Ordinal) || LiteralPassword().IsMatch(text);
    }

    private static bool HoldsLiteral(PValue value) => value switch
    {
        PText => true,
        PInterpolation i => i.Parts.Any(p => p is PText { Value.Length: > 0 }),
        _ => false,
    };

    // IDENTIFIED BY followed by a literal rather than a shell variable.
    [GeneratedRegex(@"IDENTIFIED BY '[^$']")]
    private static partial Regex LiteralPassword();

    private static void Require(List<SecurityViolation> found, string rule, string resource, bool ok, string detail)
    {
        if (!ok)
        {
            found.Add(new SecurityViolation(SecurityRules.Get(rule), resource, detail));
        }
    }
}
