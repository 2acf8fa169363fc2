using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;
using YamlDotNet.RepresentationModel;

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

/// <summary>
/// The azure program's monitoring: the managed Prometheus rule groups hold exactly the rendered rules, hosts remote-write
/// to the stack's data collection rule with their managed identity, which may publish through that rule only.
/// </summary>
public partial class AzureMonitoringProgramTests
{
    [Theory]
    [MemberData(nameof(Synth.AzureStacks), MemberType = typeof(Synth))]
    public async Task The_rule_groups_hold_every_rendered_alert_once_with_its_expression_for_labels_and_annotations(string stack)
    {
        var topology = Synth.Stack(stack);
        var tree = Synth.Tree(topology);
        var rendered = await AlertPlan.RenderAsync(Synth.Renderer(), topology, AlertThresholds.CloudDataMountpoint, CancellationToken.None);

        // The rendered file read here on its own (YamlDotNet), not through the translation under test.
        var yaml = new YamlStream();
        yaml.Load(new StringReader(rendered));
        var groups = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Children.Cast<YamlMappingNode>().ToList();
        var programGroups = Synth.OfType(tree, "azure:monitoring:AlertPrometheusRuleGroup").ToList();
        Assert.Equal(groups.Select(g => g["name"].ToString()), programGroups.Select(g => ((PText)g.Properties["name"]!).Value));

        var programRules = programGroups.SelectMany(g => ((PList)g.Properties["rules"]!).Items.Cast<PMap>()).ToList();
        var renderedRules = groups.SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>()).ToList();
        Assert.Equal(renderedRules.Count, programRules.Count);
        foreach (var rule in renderedRules)
        {
            var alert = rule["alert"].ToString();
            var translated = Assert.Single(programRules, r => ((PText)r["alert"]!).Value == alert);
            Assert.Equal(rule["expr"].ToString(), ((PText)translated["expression"]!).Value);
            Assert.Equal(Seconds(rule), translated["for"] is PText iso ? XmlConvert.ToTimeSpan(iso.Value).TotalSeconds : null);
            Assert.Equal(Pairs(rule, "labels"), Pairs(translated["labels"]));
            Assert.Equal(Pairs(rule, "annotations"), Pairs(translated["annotations"]));
            Assert.Equal(rule["labels"]["severity"].ToString() == "critical" ? 0 : 2, ((PNumber)translated["severity"]!).Value);
            Assert.Equal(new PBool(true), translated["enabled"]);
            var action = Assert.Single(((PList)translated["actions"]!).Items);
            Assert.Equal("${alerts-action-group.id}", ((PMap)action)["actionGroupId"]!.ToString());
        }

        foreach (var (_, group) in programGroups)
        {
            Assert.Equal("${metrics-workspace.id}", Assert.Single(((PList)group["scopes"]!).Items).ToString());
            Assert.Equal(topology.PrimarySite.Region, ((PText)group["location"]!).Value);
            Assert.Equal(new PBool(true), group["ruleGroupEnabled"]);
        }
    }

    [Theory]
    [InlineData("5s", "PT5S")]
    [InlineData("30s", "PT30S")]
    [InlineData("1m", "PT1M")]
    [InlineData("1h", "PT1H")]
    [InlineData("7d12h", "P7DT12H")]
    [InlineData("1d6h", "P1DT6H")]
    public void A_prometheus_for_becomes_the_same_iso_8601_duration(string prometheus, string iso)
    {
        var rule = new AlertRule("A", "up == 0", PromDuration.Parse(prometheus), [KeyValuePair.Create("severity", "warning")], []);
        var translated = Azure.PrometheusRuleGroups.Rule(rule, new Resource("alerts-action-group", "azure:monitoring:ActionGroup", PMap.Empty, PMap.Empty));
        Assert.Equal(iso, ((PText)translated["for"]!).Value);
    }

    [Fact]
    public void A_severity_without_an_azure_counterpart_is_refused_not_guessed()
    {
        var rule = new AlertRule("A", "up == 0", null, [KeyValuePair.Create("severity", "page")], []);
        Assert.Throws<InvalidOperationException>(() => Azure.PrometheusRuleGroups.Severity(rule));
    }

    [Fact]
    public void Hosts_remote_write_to_the_data_collection_rule_with_their_managed_identitys_token()
    {
        var tree = Synth.Tree("azure-prod");
        foreach (var (name, properties) in Synth.OfType(tree, "azure:compute:LinuxVirtualMachine"))
        {
            var host = name[..name.LastIndexOf('_')];
            var customData = YamlTemplateWriter.StringOf(((PFunction)properties["customData"]!).Argument);
            Assert.Contains("url: \"${metrics-endpoint.metricsIngestionEndpoint}/dataCollectionRules/${metrics-rule.immutableId}/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24\"", customData);
            Assert.Contains("credentials_file: /run/hainfra/monitor-token", customData);
            Assert.Contains("resource=https%3A%2F%2Fmonitor.azure.com%2F&client_id=$$identity_client_id", customData);
            Assert.Contains($"identity_client_id=\"${{{host}_identity.clientId}}\"", customData);
            Assert.Contains("systemctl enable --now hainfra-monitor-token.timer", customData);
            Assert.Contains("--enable-feature=agent", customData);
            Assert.DoesNotContain("sigv4", customData);
        }

        var rule = Assert.Single(Synth.OfType(tree, "azure:monitoring:DataCollectionRule")).Properties;
        Assert.Equal("${metrics-endpoint.id}", rule["dataCollectionEndpointId"]!.ToString());
        var account = (PMap)Assert.Single(((PList)((PMap)rule["destinations"]!)["monitorAccounts"]!).Items);
        Assert.Equal("${metrics-workspace.id}", account["monitorAccountId"]!.ToString());
        var flow = (PMap)Assert.Single(((PList)rule["dataFlows"]!).Items);
        Assert.Equal("Microsoft-PrometheusMetrics", ((PText)Assert.Single(((PList)flow["streams"]!).Items)).Value);
    }

    [Fact]
    public void Every_host_may_publish_metrics_through_the_stacks_rule_and_nothing_broader()
    {
        var topology = Synth.Stack("azure-prod");
        var grants = Synth.OfType(Synth.Tree(topology), "azure:authorization:Assignment")
            .Where(a => a.Properties["roleDefinitionName"] is PText { Value: "Monitoring Metrics Publisher" }).ToList();
        Assert.Equal(topology.Hosts.Select(h => $"{h.Name}_publishes-metrics").Order(StringComparer.Ordinal), grants.Select(g => g.Name).Order(StringComparer.Ordinal));
        foreach (var (name, properties) in grants)
        {
            Assert.Equal("${metrics-rule.id}", properties["scope"]!.ToString());
            Assert.Equal($"${{{name[..name.IndexOf("_publishes", StringComparison.Ordinal)]}_identity.principalId}}", properties["principalId"]!.ToString());
        }
    }

    private static double? Seconds(YamlMappingNode rule)
    {
        if (!rule.Children.TryGetValue(new YamlScalarNode("for"), out var value))
        {
            return null;
        }

        // Prometheus' notation read here independently: "7d12h" is 7 days and 12 hours.
        var units = new Dictionary<string, double>(StringComparer.Ordinal) { ["d"] = 86400, ["h"] = 3600, ["m"] = 60, ["s"] = 1 };
        return DurationPart().Matches(value.ToString()).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * units[m.Groups[2].Value]);
    }

    [GeneratedRegex("([0-9]+)([dhms])")]
    private static partial Regex DurationPart();

    private static Dictionary<string, string> Pairs(YamlMappingNode rule, string key) =>
        ((YamlMappingNode)rule[key]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);

    private static Dictionary<string, string> Pairs(PValue? map) =>
        ((PMap)map!).Entries.ToDictionary(e => e.Key, e => ((PText)e.Value).Value, StringComparer.Ordinal);
}
