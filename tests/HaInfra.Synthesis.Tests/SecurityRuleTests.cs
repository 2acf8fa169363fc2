using System.Text.Json;
using HaInfra.Model.Network;
using HaInfra.Synthesis.Checks;
using HaInfra.Synthesis.Document;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The security rules (policy/rules.json), enforced inside synth: they hold on every example stack, each catches a
/// program that breaks it, a stack whose settings break one gets no program but the rule, the setting and the fix,
/// and the policy pack covers the same list.
/// </summary>
public class SecurityRuleTests
{
    private static List<string> Violations(PMap tree) => SecurityPolicy.Check(tree).Select(v => v.ToString()).ToList();

    [Theory]
    [MemberData(nameof(Synth.AllStacks), MemberType = typeof(Synth))]
    public void Every_example_stack_follows_every_rule(string stack) => Assert.Empty(SecurityPolicy.Check(Synth.Tree(stack)));

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("0.0.0.0/1")]
    [InlineData("128.0.0.0/1")]
    [InlineData("8.0.0.0/7")]
    public void A_stack_that_opens_3306_to_the_internet_gets_no_program_but_the_rule_the_setting_and_the_fix(string cidr)
    {
        // Validation refuses these already (NetworkRuleTests); synth enforces the rule on the program on its own.
        var topology = Synth.Stack("dev");
        topology = topology with { Network = topology.Network with { ApplicationCidrs = [Cidr.Parse(cidr)] } };
        var result = Synthesizer.Synthesize(topology, Synth.Renderer(), Synth.Thresholds(topology), []);
        Assert.False(result.Ok);
        var problem = Assert.Single(result.InputProblems.Distinct());
        Assert.Contains($"security rule no-world-3306 (port 3306 is not open to the internet)", problem);
        Assert.Contains($"allows {cidr} to port 3306; set by hainfra:network.applicationCidrs. Fix: list only the networks", problem);
    }

    [Fact]
    public void Private_application_networks_are_not_the_internet()
    {
        var topology = Synth.Stack("dev");
        topology = topology with { Network = topology.Network with { ApplicationCidrs = [Cidr.Parse("10.0.0.0/8"), Cidr.Parse("172.16.0.0/12"), Cidr.Parse("192.168.0.0/16")] } };
        Assert.True(Synthesizer.Synthesize(topology, Synth.Renderer(), Synth.Thresholds(topology), []).Ok);
    }

    [Fact]
    public void A_rule_broken_by_HaInfra_itself_is_a_check_problem_not_the_stacks()
    {
        var broken = Replace(Synth.Tree("dev"), "aws:ec2:Instance", "associatePublicIpAddress", new PBool(true));
        var result = Synthesizer.WriteTree(broken, [], "test");
        Assert.False(result.Ok);
        Assert.Empty(result.InputProblems);
        Assert.Contains(result.CheckProblems, p => p.Contains("security rule no-public-ip", StringComparison.Ordinal));
    }

    [Fact]
    public void Synth_and_the_policy_pack_enforce_the_same_rule_list()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "policy", "rules.json")));
        var listed = json.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(listed.Order(StringComparer.Ordinal), SecurityRules.All.Select(r => r.Id).Order(StringComparer.Ordinal));
        var code = File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "HaInfra.Synthesis", "Checks", "SecurityPolicy.cs"));
        var pack = File.ReadAllText(Path.Combine(RepoRoot.Path, "policy", "index.ts"));
        foreach (var id in listed)
        {
            Assert.Contains($"\"{id}\"", code);
            Assert.Contains($"\"{id}\":", pack);
        }
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
        Assert.Contains(Violations(broken), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_literal_password_in_user_data_is_caught()
    {
        var tree = Synth.Tree("dev");
        var broken = Replace(tree, "aws:ec2:Instance", "userData", new PText("#cloud-config\nruncmd:\n  - mariadb -e \"CREATE USER a IDENTIFIED BY 'hunter2'\"\n"));
        Assert.Contains(Violations(broken), v => v.Contains("password or a private key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_literal_credential_property_is_caught()
    {
        var tree = Synth.Tree("dev");
        var withPassword = new PMap([.. tree.Entries.Select(e => e.Key == "outputs" ? KeyValuePair.Create(e.Key, (PValue)P.Map(("dbPassword", "hunter2"))) : e)]);
        Assert.Contains(Violations(withPassword), v => v.Contains("security rule no-literal-credentials", StringComparison.Ordinal) && v.Contains("outputs.dbPassword", StringComparison.Ordinal));
    }

    [Fact]
    public void An_azure_stack_that_opens_3306_to_the_internet_gets_no_program_but_the_rule_the_setting_and_the_fix()
    {
        var topology = Synth.Stack("azure-staging");
        topology = topology with { Network = topology.Network with { ApplicationCidrs = [Cidr.Parse("0.0.0.0/0")] } };
        var result = Synthesizer.Synthesize(topology, Synth.Renderer(), Synth.Thresholds(topology), []);
        Assert.False(result.Ok);
        // One problem per region's NSG, and nothing else.
        Assert.Equal(2, result.InputProblems.Count);
        Assert.Contains(result.InputProblems, p => p.Contains("): nsg_westeurope allows", StringComparison.Ordinal));
        Assert.Contains(result.InputProblems, p => p.Contains("): nsg_northeurope allows", StringComparison.Ordinal));
        Assert.All(result.InputProblems, problem =>
        {
            Assert.Contains("security rule azure-nsg-no-world-3306 (port 3306 is not open to the internet)", problem);
            Assert.Contains("allows 0.0.0.0/0 to port 3306; set by hainfra:network.applicationCidrs", problem);
        });
    }

    [Theory]
    [InlineData("azure:compute:LinuxVirtualMachine", "disablePasswordAuthentication", "false", "azure-vm-no-password-login")]
    [InlineData("azure:compute:LinuxVirtualMachine", "encryptionAtHostEnabled", "false", "azure-vm-encryption-at-host")]
    [InlineData("azure:compute:LinuxVirtualMachine", "zone", "", "azure-vm-zone-pinned")]
    [InlineData("azure:compute:ManagedDisk", "zone", "", "azure-vm-zone-pinned")]
    [InlineData("azure:storage:Account", "minTlsVersion", "TLS1_0", "azure-storage-https-tls12")]
    [InlineData("azure:storage:Account", "httpsTrafficOnlyEnabled", "false", "azure-storage-https-tls12")]
    [InlineData("azure:storage:Account", "allowNestedItemsToBePublic", "true", "azure-storage-no-public-blobs")]
    [InlineData("azure:storage:Container", "containerAccessType", "blob", "azure-storage-no-public-blobs")]
    [InlineData("azure:storage:Account", "sharedAccessKeyEnabled", "true", "azure-storage-no-shared-key")]
    [InlineData("azure:storage:Account", "accountReplicationType", "ZRS", "azure-storage-archive-redundancy")]
    [InlineData("azure:storage:Account", "accountReplicationType", "GZRS", "azure-storage-archive-redundancy")]
    [InlineData("azure:storage:Account", "blobProperties", "{}", "azure-storage-versioning")]
    [InlineData("azure:storage:ManagementPolicy", "storageAccountId", "none", "azure-storage-lifecycle")]
    [InlineData("azure:storage:ObjectReplication", "sourceStorageAccountId", "none", "azure-backup-offsite-replication")]
    [InlineData("azure:network:NetworkInterface", "ipConfigurations", "public", "azure-no-public-ip")]
    [InlineData("azure:network:NetworkSecurityGroup", "securityRules", "ssh", "azure-nsg-no-internet-ssh")]
    [InlineData("azure:network:NetworkSecurityGroup", "securityRules", "world", "azure-nsg-no-world-3306")]
    [InlineData("azure:compute:LinuxVirtualMachine", "customData", "key", "azure-no-secret-in-custom-data")]
    [InlineData("azure:monitoring:Workspace", "publicNetworkAccessEnabled", "true", "azure-metrics-workspace-private-query")]
    public void Each_azure_rule_catches_a_broken_property(string type, string property, string broken, string rule)
    {
        PValue value = broken switch
        {
            "true" => new PBool(true),
            "false" => new PBool(false),
            "{}" => PMap.Empty,
            "none" => new PText("/subscriptions/x/elsewhere"),
            "public" => P.List(P.Map(("name", "primary"), ("subnetId", "/s"), ("privateIpAddressAllocation", "Dynamic"), ("publicIpAddressId", "/ip"))),
            "ssh" => P.List(NsgRule("22", "Internet")),
            "world" => P.List(NsgRule("3306", "*")),
            "key" => new PFunction("toBase64", new PText("#cloud-config\nwrite_files:\n  - content: |\n      -----BEGIN PRIVATE KEY-----\n")),
            _ => new PText(broken),
        };
        var violations = Violations(Replace(Synth.Tree("azure-staging"), type, property, value));
        Assert.Contains(violations, v => v.Contains($"security rule {rule} ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("${rg_westeurope.id}")]
    [InlineData("${metrics-workspace.id}")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-000000000000")]
    public void Metrics_publishing_granted_beyond_the_data_collection_rule_is_caught(string scope)
    {
        var tree = Synth.Tree("azure-staging");
        var resources = ((PMap)tree["resources"]!).Entries.Select(e =>
        {
            var r = (PMap)e.Value;
            if (!e.Key.EndsWith("_publishes-metrics", StringComparison.Ordinal))
            {
                return e;
            }

            var properties = new PMap([.. ((PMap)r["properties"]!).Entries.Select(p => p.Key == "scope"
                ? KeyValuePair.Create(p.Key, scope.StartsWith("${", StringComparison.Ordinal) ? (PValue)new PRef(scope[2..scope.IndexOf('.')], "id") : new PText(scope))
                : p)]);
            return KeyValuePair.Create(e.Key, (PValue)new PMap([.. r.Entries.Select(x => x.Key == "properties" ? KeyValuePair.Create(x.Key, (PValue)properties) : x)]));
        }).ToList();
        var broken = new PMap([.. tree.Entries.Select(e => e.Key == "resources" ? KeyValuePair.Create(e.Key, (PValue)new PMap(resources)) : e)]);
        var violations = Violations(broken).Where(v => v.StartsWith("security rule azure-metrics-publisher-on-rule-only ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Synth.Stack("azure-staging").Hosts.Count(), violations.Count);
    }

    [Fact]
    public void A_public_ip_anywhere_in_an_azure_program_is_caught()
    {
        var tree = Synth.Tree("azure-staging");
        var resources = (PMap)tree["resources"]!;
        var withIp = new PMap([.. resources.Entries, KeyValuePair.Create("bastion-ip", (PValue)P.Map(
            ("type", "azure:network:PublicIp"),
            ("properties", P.Map(("resourceGroupName", "rg"), ("allocationMethod", "Static"))),
            ("options", P.Map(("provider", new PRef("azure"))))))]);
        var broken = new PMap([.. tree.Entries.Select(e => e.Key == "resources" ? KeyValuePair.Create(e.Key, (PValue)withIp) : e)]);
        Assert.Contains(Violations(broken), v => v.StartsWith("security rule azure-no-public-ip (nothing has a public IP on azure): bastion-ip is a public IP", StringComparison.Ordinal));
    }

    private static PMap NsgRule(string port, string source) => P.Map(
        ("name", "open"), ("priority", 200), ("direction", "Inbound"), ("access", "Allow"), ("protocol", "Tcp"),
        ("sourcePortRange", "*"), ("destinationPortRange", port), ("sourceAddressPrefix", source), ("destinationAddressPrefix", "*"));

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
