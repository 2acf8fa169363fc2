using HaInfra.Model.Network;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Tests;

/// <summary>The security rules hold on every example stack, and each rule catches a program that breaks it.</summary>
public class SecurityRuleTests
{
    [Theory]
    [MemberData(nameof(Synth.CloudStacks), MemberType = typeof(Synth))]
    public void Every_example_stack_follows_every_rule(string stack) => Assert.Empty(SecurityRules.Violations(Synth.Tree(stack)));

    [Fact]
    public void Whole_internet_on_3306_is_caught_even_past_validation()
    {
        // Validation rejects 0.0.0.0/0 (NetworkRuleTests); this checks the program-level rule on its own.
        var topology = Synth.Stack("dev");
        topology = topology with { Network = topology.Network with { ApplicationCidrs = [Cidr.Anywhere] } };
        Assert.Contains(SecurityRules.Violations(Synth.Tree(topology)), v => v.Contains("0.0.0.0/0 to port 3306", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aws:ec2:Instance", "associatePublicIpAddress", "public IP")]
    [InlineData("aws:ec2:Instance", "metadataOptions", "IMDSv2")]
    [InlineData("aws:ec2:Instance", "rootBlockDevice", "root volume")]
    [InlineData("aws:ebs:Volume", "encrypted", "encrypted")]
    [InlineData("aws:ec2:Subnet", "mapPublicIpOnLaunch", "public IPs")]
    [InlineData("aws:s3:BucketServerSideEncryptionConfiguration", "rules", "SSE-KMS")]
    [InlineData("aws:s3:BucketPublicAccessBlock", "restrictPublicBuckets", "public access")]
    [InlineData("aws:s3:BucketPolicy", "policy", "without TLS")]
    public void Each_rule_catches_a_broken_property(string type, string property, string expected)
    {
        // Flags that must be false become true; everything else becomes a value that says nothing (false).
        var value = new PBool(property is "associatePublicIpAddress" or "mapPublicIpOnLaunch");
        var broken = Replace(Synth.Tree("staging"), type, property, value);
        Assert.Contains(SecurityRules.Violations(broken), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_literal_password_in_user_data_is_caught()
    {
        var tree = Synth.Tree("dev");
        var broken = Replace(tree, "aws:ec2:Instance", "userData", new PText("#cloud-config\nruncmd:\n  - mariadb -e \"CREATE USER a IDENTIFIED BY 'hunter2'\"\n"));
        Assert.Contains(SecurityRules.Violations(broken), v => v.Contains("password or a private key", StringComparison.Ordinal));
    }

    /// <summary>The program with one property of the first resource of a type replaced.</summary>
    private static PMap Replace(PMap tree, string type, string property, PValue value)
    {
        var done = false;
        var resources = ((PMap)tree["resources"]!).Entries.Select(e =>
        {
            var r = (PMap)e.Value;
            if (done || r["type"] is not PText { } t || t.Value != type)
            {
                return e;
            }

            done = true;
            var properties = (PMap)r["properties"]!;
            var changed = new PMap([.. properties.Entries.Select(p => p.Key == property ? KeyValuePair.Create(p.Key, value) : p)]);
            return KeyValuePair.Create(e.Key, (PValue)new PMap([.. r.Entries.Select(x => x.Key == "properties" ? KeyValuePair.Create(x.Key, (PValue)changed) : x)]));
        });
        Assert.True(resources.ToList() is var list && done, $"no {type} in the program");
        return new PMap([.. tree.Entries.Select(e => e.Key == "resources" ? KeyValuePair.Create(e.Key, (PValue)new PMap(list)) : e)]);
    }
}
