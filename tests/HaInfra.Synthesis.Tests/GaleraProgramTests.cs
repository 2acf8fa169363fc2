using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;

namespace HaInfra.Synthesis.Tests;

/// <summary>method: galera on aws: the Galera ports are open between the nodes' security group members and nowhere else.</summary>
public class GaleraProgramTests
{
    private static readonly int[] GaleraPorts = [4567, 4568, 4444];
    private static readonly string[] Directions = ["ingress", "egress"];

    [Fact]
    public void Galera_ports_open_only_between_the_nodes()
    {
        var tree = Synth.Tree("local-galera");
        var groups = Synth.OfType(tree, "aws:ec2:SecurityGroup").ToList();
        var galera = Assert.Single(groups, g => g.Name.Contains("galera", StringComparison.Ordinal));
        foreach (var direction in Directions)
        {
            var rules = ((PList)galera.Properties[direction]!).Items.Cast<PMap>().ToList();
            Assert.Equal(GaleraPorts, rules.Select(r => (int)((PNumber)r["fromPort"]!).Value));
            Assert.All(rules, r => Assert.True(r["self"] is PBool { Value: true }, $"{direction} rule is not limited to the group's members"));
            Assert.All(rules, r => Assert.Null(r["cidrBlocks"]));
        }

        // No other group opens a Galera port.
        foreach (var (name, properties) in groups.Where(g => g.Name != galera.Name))
        {
            var ports = Directions.SelectMany(d => ((PList?)properties[d])?.Items.Cast<PMap>() ?? []).Select(r => (int)((PNumber)r["fromPort"]!).Value);
            Assert.DoesNotContain(ports, GaleraPorts.Contains);
        }

        // The group is on the three nodes' instances and not on the DR replica's.
        var instances = Synth.OfType(tree, "aws:ec2:Instance").ToDictionary(i => i.Name, i => Text(i.Properties["vpcSecurityGroupIds"]));
        Assert.Equal(3, instances.Count(i => i.Value.Contains(galera.Name, StringComparison.Ordinal)));
        Assert.DoesNotContain(galera.Name, instances.Single(i => i.Key.Contains("gdr", StringComparison.Ordinal)).Value);
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void Other_methods_have_no_galera_group(string stack) =>
        Assert.DoesNotContain(Synth.OfType(Synth.Tree(stack), "aws:ec2:SecurityGroup"), g => g.Name.Contains("galera", StringComparison.Ordinal));

    [Fact]
    public void On_azure_the_galera_ports_are_allowed_from_the_nodes_subnets_and_denied_from_the_rest_of_the_vnet()
    {
        var prod = Synth.Stack("azure-prod");
        var galera = prod with
        {
            Replication = prod.Replication with { Method = Model.ReplicationMethod.Galera },
            Sites = [.. prod.Sites.Select(s => s.Kind == Model.SiteKind.Remote ? s : s with { Mode = Model.ReplicationMode.Galera })],
        };
        Assert.True(Model.Galera.GaleraCluster.Nodes(galera).Count >= 3);
        Synth.Text(galera); // the synthesizer's own checks (security rules included) pass

        var nsgs = Synth.OfType(Synth.Tree(galera), "azure:network:NetworkSecurityGroup").ToList();
        var primary = nsgs.Single(n => n.Name.Contains(prod.PrimarySite.Region, StringComparison.Ordinal));
        var rules = ((PList)primary.Properties["securityRules"]!).Items.Cast<PMap>().ToDictionary(r => ((PText)r["name"]!).Value);
        var allow = rules["galera-from-nodes"];
        Assert.Equal(["4567", "4568", "4444"], ((PList)allow["destinationPortRanges"]!).Items.Select(i => ((PText)i).Value));
        Assert.Equal("Allow", ((PText)allow["access"]!).Value);
        var sources = ((PList)allow["sourceAddressPrefixes"]!).Items.Select(i => ((PText)i).Value).ToList();
        Assert.Equal(galera.Sites.Count(s => s.Kind != Model.SiteKind.Remote), sources.Count);
        var deny = rules["deny-other-galera"];
        Assert.Equal("Deny", ((PText)deny["access"]!).Value);
        Assert.True(((PNumber)deny["priority"]!).Value > ((PNumber)allow["priority"]!).Value, "the deny must come after the allow");
        Assert.True(((PNumber)deny["priority"]!).Value < 65000, "the deny must come before Azure's AllowVnetInBound (65000)");

        // A primary-replica stack on azure has none of them.
        var plain = Synth.OfType(Synth.Tree("azure-prod"), "azure:network:NetworkSecurityGroup")
            .SelectMany(n => ((PList)n.Properties["securityRules"]!).Items.Cast<PMap>()).Select(r => ((PText)r["name"]!).Value);
        Assert.DoesNotContain(plain, n => n.Contains("galera", StringComparison.Ordinal));
    }

    [Fact]
    public void The_bootstrap_record_starts_unclaimed_keeps_its_claimed_value_and_only_the_first_node_may_write_it()
    {
        var tree = Synth.Tree("local-galera");
        var record = Assert.Single(Synth.Resources(tree), r => r.Type == "aws:ssm:Parameter" && r.Name == "galera-bootstrap-param");
        Assert.Equal("/hainfra/local-galera/galera/bootstrap", ((PText)record.Properties["name"]!).Value);
        Assert.Equal("unclaimed", ((PText)record.Properties["value"]!).Value);
        Assert.Equal(["value", "description"], ((PList)record.Options["ignoreChanges"]!).Items.Select(i => ((PText)i).Value));

        var writers = Synth.OfType(tree, "aws:iam:RolePolicy")
            .Where(p => Statements(p.Properties).Any(s => s["Action"] is PText { Value: "ssm:PutParameter" }))
            .Select(p => p.Name).ToList();
        Assert.Equal(["g1_policy"], writers);
        var claim = Statements(Synth.OfType(tree, "aws:iam:RolePolicy").Single(p => p.Name == "g1_policy").Properties)
            .Single(s => s["Action"] is PText { Value: "ssm:PutParameter" });
        Assert.Equal("${galera-bootstrap-param.arn}", claim["Resource"]!.ToString());

        // Every node's first boot runs the Galera start; only g1's may start a new cluster.
        var userData = Synth.OfType(tree, "aws:ec2:Instance").ToDictionary(i => i.Name, i => YamlTemplateWriter.StringOf(i.Properties["userData"]!).Replace("$$", "$", StringComparison.Ordinal));
        foreach (var (name, text) in userData)
        {
            Assert.True(text.Length < 16384, $"{name}: user data is {text.Length} bytes; EC2 accepts 16 KiB");
            var node = !name.StartsWith("gdr", StringComparison.Ordinal);
            Assert.Equal(node, text.Contains("      start_galera_node\n", StringComparison.Ordinal));
            Assert.Equal(node, !text.Contains("systemctl restart mariadb", StringComparison.Ordinal));
            Assert.Equal(name.StartsWith("g1", StringComparison.Ordinal), text.Contains("galera_first_node=1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void On_azure_the_first_node_alone_may_write_the_bootstrap_secret()
    {
        var tree = Synth.Tree(AzureGalera());
        var secret = Assert.Single(Synth.Resources(tree), r => r.Type == "azure:keyvault:Secret" && r.Name == "galera-bootstrap-secret");
        Assert.Equal("galera-bootstrap", ((PText)secret.Properties["name"]!).Value);
        Assert.Equal("unclaimed", ((PText)secret.Properties["value"]!).Value);
        Assert.Equal(["value", "contentType", "tags"], ((PList)secret.Options["ignoreChanges"]!).Items.Select(i => ((PText)i).Value));

        var officers = Synth.OfType(tree, "azure:authorization:Assignment")
            .Where(a => a.Properties["roleDefinitionName"] is PText { Value: "Key Vault Secrets Officer" } && a.Name != "key-vault-deployer").ToList();
        var claim = Assert.Single(officers);
        Assert.Equal("${galera-bootstrap-secret.resourceVersionlessId}", claim.Properties["scope"]!.ToString());
        Assert.Equal("${prod-db-a1_identity.principalId}", claim.Properties["principalId"]!.ToString());
    }

    [Fact]
    public void A_declared_arbitrator_is_let_in_by_its_address_on_group_communication_only()
    {
        var galera = Synth.Stack("local-galera");
        var withArbitrator = galera with { Replication = galera.Replication with { Arbitrator = "10.0.9.4" } };
        Synth.Text(withArbitrator); // the synthesizer's own checks (security rules included) pass
        var group = Assert.Single(Synth.OfType(Synth.Tree(withArbitrator), "aws:ec2:SecurityGroup"), g => g.Name.Contains("galera", StringComparison.Ordinal));
        foreach (var direction in Directions)
        {
            var rules = ((PList)group.Properties[direction]!).Items.Cast<PMap>().ToDictionary(r => (int)((PNumber)r["fromPort"]!).Value);
            Assert.Equal(["10.0.9.4/32"], ((PList)rules[4567]["cidrBlocks"]!).Items.Select(i => ((PText)i).Value));
            Assert.Null(rules[4568]["cidrBlocks"]);
            Assert.Null(rules[4444]["cidrBlocks"]);
        }

        var azure = AzureGalera() with { Replication = AzureGalera().Replication with { Arbitrator = "10.0.9.4" } };
        Synth.Text(azure);
        var nsgRules = Synth.OfType(Synth.Tree(azure), "azure:network:NetworkSecurityGroup")
            .SelectMany(n => ((PList)n.Properties["securityRules"]!).Items.Cast<PMap>()).ToList();
        var inbound = nsgRules.First(r => r["name"] is PText { Value: "galera-from-arbitrator" });
        Assert.Equal("10.0.9.4/32", ((PText)inbound["sourceAddressPrefix"]!).Value);
        Assert.Equal("4567", ((PText)inbound["destinationPortRange"]!).Value);
        Assert.Contains(nsgRules, r => r["name"] is PText { Value: "galera-to-arbitrator" } && r["destinationAddressPrefix"] is PText { Value: "10.0.9.4/32" });
    }

    [Theory]
    [InlineData("local-galera")]
    [InlineData("azure")]
    public void An_arbitrator_named_by_host_name_is_refused_with_the_fix(string stack)
    {
        var topology = stack == "azure" ? AzureGalera() : Synth.Stack(stack);
        topology = topology with { Replication = topology.Replication with { Arbitrator = "arbiter-1.galera.db.internal" } };
        var result = Synthesizer.Synthesize(topology, Synth.Renderer(), Synth.Thresholds(topology), []);
        Assert.False(result.Ok);
        var problem = Assert.Single(result.InputProblems);
        Assert.StartsWith("hainfra:replication.arbitrator = arbiter-1.galera.db.internal:", problem);
        Assert.Contains("Fix: give the garbd machine's IP address", problem);
    }

    private static Model.Topology AzureGalera()
    {
        var prod = Synth.Stack("azure-prod");
        return prod with
        {
            Replication = prod.Replication with { Method = Model.ReplicationMethod.Galera },
            Sites = [.. prod.Sites.Select(s => s.Kind == Model.SiteKind.Remote ? s : s with { Mode = Model.ReplicationMode.Galera })],
        };
    }

    private static IEnumerable<PMap> Statements(PMap policy) =>
        ((PList)((PMap)((PFunction)policy["policy"]!).Argument)["Statement"]!).Items.Cast<PMap>();

    private static string Text(PValue? value) => value switch
    {
        PList list => string.Join(",", list.Items.Select(Text)),
        _ => value?.ToString() ?? "",
    };
}
