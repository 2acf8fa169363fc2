using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;

namespace HaInfra.Synthesis.Tests;

/// <summary>The aws program's monitoring: the workspace evaluates the rendered rules, hosts may only write metrics to it, alarms notify.</summary>
public class MonitoringProgramTests
{
    [Theory]
    [MemberData(nameof(Synth.CloudStacks), MemberType = typeof(Synth))]
    public async Task The_workspace_holds_the_same_rules_render_alerts_prints(string stack)
    {
        var topology = Synth.Stack(stack);
        var rules = Assert.Single(Synth.OfType(Synth.Tree(topology), "aws:amp:RuleGroupNamespace")).Properties;
        var rendered = await AlertPlan.RenderAsync(Synth.Renderer(), topology, AlertThresholds.CloudDataMountpoint, CancellationToken.None);
        Assert.Equal(rendered, ((PText)rules["data"]!).Value);
        Assert.Equal("${metrics-workspace.id}", rules["workspaceId"]!.ToString());
    }

    [Fact]
    public void Every_host_may_remote_write_to_the_stacks_workspace_and_nothing_else_of_it()
    {
        var tree = Synth.Tree("prod");
        foreach (var (name, properties) in Synth.OfType(tree, "aws:iam:RolePolicy").Where(p => p.Name.EndsWith("_policy", StringComparison.Ordinal)))
        {
            var statements = ((PList)((PMap)((PFunction)properties["policy"]!).Argument)["Statement"]!).Items.Cast<PMap>().ToList();
            var aps = statements.Where(s => YamlTemplateWriter.StringOf(s["Action"] is PList l ? l.Items[0] : s["Action"]!).StartsWith("aps:", StringComparison.Ordinal)).ToList();
            var write = Assert.Single(aps);
            Assert.Equal("aps:RemoteWrite", ((PText)write["Action"]!).Value);
            Assert.True(write["Resource"]!.ToString() == "${metrics-workspace.arn}", $"{name}: aps:RemoteWrite on {write["Resource"]}");
        }
    }

    [Fact]
    public void Hosts_remote_write_to_the_workspace_endpoint_in_the_primary_region()
    {
        var topology = Synth.Stack("prod");
        foreach (var (name, properties) in Synth.OfType(Synth.Tree(topology), "aws:ec2:Instance"))
        {
            var userData = YamlTemplateWriter.StringOf(properties["userData"]!);
            Assert.Contains("url: \"${metrics-workspace.prometheusEndpoint}api/v1/remote_write\"", userData);
            Assert.Contains($"region: {topology.PrimarySite.Region}", userData);
            Assert.Contains("--enable-feature=agent", userData);
            Assert.Contains("--collector.textfile.directory=/var/lib/prometheus/node-exporter", userData);
            Assert.Contains(name[..name.IndexOf('_', StringComparison.Ordinal)], userData);
        }
    }

    [Fact]
    public void Every_alarm_notifies_its_regions_topic_and_prometheus_alerts_go_to_the_primary_one()
    {
        var topology = Synth.Stack("prod");
        var tree = Synth.Tree(topology);
        var alarms = Synth.Resources(tree).Where(r => r.Type == "aws:cloudwatch:MetricAlarm").ToList();
        Assert.Equal(topology.Hosts.Count() * 3, alarms.Count); // status, attached EBS, data volume stalled I/O; no burstable sizes
        foreach (var alarm in alarms)
        {
            var region = alarm.Options["provider"]!.ToString()["${aws_".Length..^1];
            var action = Assert.Single(((PList)alarm.Properties["alarmActions"]!).Items);
            Assert.Equal($"${{alerts-topic_{region}.arn}}", action.ToString());
            Assert.Equal(action, Assert.Single(((PList)alarm.Properties["okActions"]!).Items));
        }

        var definition = YamlTemplateWriter.StringOf(Assert.Single(Synth.OfType(tree, "aws:amp:AlertManagerDefinition")).Properties["definition"]!);
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(definition));
        var config = ((YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode).Children.Single().Value.ToString();
        Assert.Contains("receiver: hainfra-sns", config);
        Assert.Contains($"topic_arn: ${{alerts-topic_{topology.PrimarySite.Region}.arn}}", config);
        Assert.Contains($"region: {topology.PrimarySite.Region}", config);
    }

    [Theory]
    [InlineData("t3.large", true)]
    [InlineData("t4g.medium", true)]
    [InlineData("c6i.large", false)]
    [InlineData("m6i.xlarge", false)]
    [InlineData("trn1.2xlarge", false)]
    public void Only_t_family_types_are_burstable(string type, bool burstable) => Assert.Equal(burstable, Aws.InstanceTypes.IsBurstable(type));

    [Fact]
    public void Only_the_workspace_may_publish_alerts_and_only_the_stacks_alarms_may_publish_alarms()
    {
        var topology = Synth.Stack("prod");
        var policies = Synth.OfType(Synth.Tree(topology), "aws:sns:TopicPolicy").ToList();
        Assert.Equal(topology.Regions.Count, policies.Count);
        foreach (var (name, properties) in policies)
        {
            var statements = ((PList)((PMap)((PFunction)properties["policy"]!).Argument)["Statement"]!).Items.Cast<PMap>().ToList();
            var services = statements.Select(s => ((PText)((PMap)s["Principal"]!)["Service"]!).Value).ToList();
            var primary = name == $"alerts-topic-policy_{topology.PrimarySite.Region}";
            Assert.Equal(primary ? ["cloudwatch.amazonaws.com", "aps.amazonaws.com"] : ["cloudwatch.amazonaws.com"], services);
            Assert.All(statements, s => Assert.NotNull(s["Condition"]));
        }
    }
}
