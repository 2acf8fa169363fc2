using HaInfra.Synthesis.Document;

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

    private static string Text(PValue? value) => value switch
    {
        PList list => string.Join(",", list.Items.Select(Text)),
        _ => value?.ToString() ?? "",
    };
}
