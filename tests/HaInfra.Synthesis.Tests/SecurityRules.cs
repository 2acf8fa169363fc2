using System.Text.RegularExpressions;
using HaInfra.Model.Network;
using HaInfra.Synthesis.Checks;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The issue's security rules, evaluated on a synthesized program: no public IP on database hosts, no 0.0.0.0/0
/// ingress on 3306, every volume and bucket encrypted, public access blocked, TLS-only bucket policies, IMDSv2
/// required, no secret in plaintext. Returns every violation.
/// </summary>
internal static partial class SecurityRules
{
    public static List<string> Violations(PMap tree)
    {
        var found = new List<string>();
        var resources = Synth.Resources(tree).ToList();
        foreach (var (name, type, p, _) in resources)
        {
            switch (type)
            {
                case "aws:ec2:Instance":
                    Require(found, name, p["associatePublicIpAddress"] is PBool { Value: false }, "must not get a public IP (associatePublicIpAddress: false)");
                    Require(found, name, (p["metadataOptions"] as PMap)?["httpTokens"] is PText { Value: "required" }, "must require IMDSv2 (metadataOptions.httpTokens: required)");
                    Require(found, name, (p["rootBlockDevice"] as PMap)?["encrypted"] is PBool { Value: true }, "root volume must be encrypted");
                    Require(found, name, p["ebsBlockDevices"] is null, "inline EBS devices bypass the volume checks");
                    Require(found, name, !SecretInUserData(p["userData"]), "user data holds a password or a private key");
                    break;
                case "aws:ec2:Subnet":
                    Require(found, name, p["mapPublicIpOnLaunch"] is PBool { Value: false }, "subnet must not hand out public IPs");
                    break;
                case "aws:ec2:Eip":
                    Require(found, name, p["instance"] is null && p["networkInterface"] is null, "an elastic IP must not be attached to a host");
                    break;
                case "aws:ebs:Volume":
                    Require(found, name, p["encrypted"] is PBool { Value: true } && p["kmsKeyId"] is not null, "volume must be encrypted with the stack's KMS key");
                    break;
                case "aws:ec2:SecurityGroup":
                    foreach (var rule in (p["ingress"] as PList)?.Items.OfType<PMap>() ?? [])
                    {
                        Require(found, name, !OpensToEveryone(rule, SecurityGroups3306), "allows 0.0.0.0/0 to port 3306");
                    }

                    break;
                case "aws:vpc:SecurityGroupIngressRule" or "aws:ec2:SecurityGroupRule":
                    Require(found, name, !OpensToEveryone(p, SecurityGroups3306), "allows 0.0.0.0/0 to port 3306");
                    break;
                case "aws:s3:Bucket":
                    CheckBucket(found, name, resources);
                    break;
            }
        }

        found.AddRange(TemplateChecks.Check(tree, []).Where(p => p.Contains("credential", StringComparison.Ordinal)));
        return found;
    }

    private const int SecurityGroups3306 = 3306;

    private static readonly string[] PublicAccessBlocks = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

    private static void CheckBucket(List<string> found, string bucket, List<(string Name, string Type, PMap Properties, PMap Options)> resources)
    {
        bool Has(string type, Func<PMap, bool> ok) =>
            resources.Any(r => r.Type == type && r.Properties["bucket"] is PRef { Root: var root } && root == bucket && ok(r.Properties));
        Require(found, bucket, Has("aws:s3:BucketServerSideEncryptionConfiguration", p =>
            (p["rules"] as PList)?.Items.OfType<PMap>().Any(r => (r["applyServerSideEncryptionByDefault"] as PMap)?["sseAlgorithm"] is PText { Value: "aws:kms" }) == true),
            "needs SSE-KMS encryption by default");
        Require(found, bucket, Has("aws:s3:BucketPublicAccessBlock", p =>
            PublicAccessBlocks.All(k => p[k] is PBool { Value: true })),
            "needs all four public access blocks");
        Require(found, bucket, Has("aws:s3:BucketOwnershipControls", p => (p["rule"] as PMap)?["objectOwnership"] is PText { Value: "BucketOwnerEnforced" }),
            "needs BucketOwnerEnforced ownership (no ACLs)");
        Require(found, bucket, Has("aws:s3:BucketPolicy", DeniesInsecureTransport), "needs a policy denying requests without TLS");
    }

    private static bool DeniesInsecureTransport(PMap policy)
    {
        var document = (policy["policy"] as PFunction)?.Argument as PMap;
        return (document?["Statement"] as PList)?.Items.OfType<PMap>().Any(s =>
            s["Effect"] is PText { Value: "Deny" }
            && s["Principal"] is PText { Value: "*" }
            && ((s["Condition"] as PMap)?["Bool"] as PMap)?["aws:SecureTransport"] is PText { Value: "false" }) == true;
    }

    private static bool OpensToEveryone(PMap rule, int port)
    {
        var from = (rule["fromPort"] as PNumber)?.Value ?? 0;
        var to = (rule["toPort"] as PNumber)?.Value ?? 65535;
        var protocol = (rule["protocol"] as PText)?.Value ?? "-1";
        var coversPort = protocol == "-1" || (from <= port && port <= to) || (from == 0 && to == 0);
        var cidrs = ((rule["cidrBlocks"] as PList)?.Items ?? []).Concat((rule["ipv6CidrBlocks"] as PList)?.Items ?? [])
            .Append(rule["cidrIpv4"] ?? new PText("")).OfType<PText>().Select(t => t.Value);
        return coversPort && cidrs.Any(c => c == "::/0" || (Cidr.TryParse(c, out var cidr, out _) && cidr.PrefixLength == 0));
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

    // IDENTIFIED BY followed by a literal rather than a shell variable.
    [GeneratedRegex(@"IDENTIFIED BY '[^$']")]
    private static partial Regex LiteralPassword();

    private static void Require(List<string> found, string resource, bool ok, string rule)
    {
        if (!ok)
        {
            found.Add($"{resource}: {rule}");
        }
    }
}
