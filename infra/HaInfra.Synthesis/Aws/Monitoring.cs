using HaInfra.Rendering.Monitoring;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Where the stack's alerts are evaluated and sent. The database metrics go to Amazon Managed Service for Prometheus,
/// which evaluates the very rule file `render --alerts` prints (one rule source for the local target, the cloud and
/// users' own Prometheus; checked with promtool) and routes every alert to an SNS topic. The workspace lives in the
/// primary region; every host, DR hosts included, remote-writes to it (see the README on losing that region). Each
/// region gets an alert topic, because CloudWatch alarms can only notify a topic of their own region.
/// </summary>
internal static class Monitoring
{
    public const string Receiver = "hainfra-sns";

    public static void Add(AwsContext ctx)
    {
        var stack = ctx.Topology.Stack;
        var primary = ctx.PrimaryRegion;
        var via = ctx.Via(primary);
        var workspace = ctx.Graph.Add("metrics-workspace", "aws:amp:Workspace", P.Map(
            ("alias", $"hainfra-{stack}"),
            ("tags", AwsContext.Tags($"hainfra-{stack}-metrics"))), via);

        var topics = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var region in ctx.Topology.Regions)
        {
            var account = ctx.Graph.Variable(AwsNames.Regional("account", region),
                P.Invoke("aws:index:getCallerIdentity", PMap.Empty, ctx.Providers[region].Ref, "accountId"));
            // Not encrypted with the region's key: CloudWatch alarms cannot publish to a topic under a key whose policy
            // does not name them, and alerts carry no secrets (names, hosts, thresholds).
            var topic = ctx.Graph.Add(AwsNames.Regional("alerts-topic", region), "aws:sns:Topic", P.Map(
                ("name", $"hainfra-{stack}-alerts"),
                ("displayName", $"HaInfra {stack} alerts"),
                ("tags", AwsContext.Tags($"hainfra-{stack}-alerts-{region}"))), ctx.Via(region));
            var statements = new List<PMap>
            {
                Iam.Statement("CloudWatchAlarmsOfThisStack", "sns:Publish", topic["arn"], P.Map(("Service", "cloudwatch.amazonaws.com")), P.Map(
                    ("ArnLike", P.Map(("aws:SourceArn", P.Join($"arn:aws:cloudwatch:{region}:", account, $":alarm:hainfra-{stack}-*")))),
                    ("StringEquals", P.Map(("aws:SourceAccount", account))))),
            };
            if (region == primary)
            {
                statements.Add(Iam.Statement("ManagedPrometheusAlertManager", P.Texts(["sns:Publish", "sns:GetTopicAttributes"]), topic["arn"],
                    P.Map(("Service", "aps.amazonaws.com")), P.Map(
                        ("ArnEquals", P.Map(("aws:SourceArn", workspace["arn"]))),
                        ("StringEquals", P.Map(("aws:SourceAccount", account))))));
            }

            ctx.Graph.Add(AwsNames.Regional("alerts-topic-policy", region), "aws:sns:TopicPolicy", P.Map(
                ("arn", topic["arn"]),
                ("policy", P.ToJson(Iam.Document([.. statements])))), ctx.Via(region));
            topics[region] = topic;
        }

        ctx.Graph.Add("alert-rules", "aws:amp:RuleGroupNamespace", P.Map(
            ("name", $"hainfra-{stack}"),
            ("workspaceId", workspace["id"]),
            ("data", AlertRulesRenderer.Render(ctx.Renderer, ctx.Topology, ctx.Thresholds)),
            ("tags", AwsContext.Tags($"hainfra-{stack}-alert-rules"))), via);
        ctx.Graph.Add("alert-manager", "aws:amp:AlertManagerDefinition", P.Map(
            ("workspaceId", workspace["id"]),
            ("definition", P.Join(AlertManagerHead, topics[primary]["arn"], AlertManagerTail(primary)))),
            ctx.Via(primary, ("dependsOn", P.List(new PRef(AwsNames.Regional("alerts-topic-policy", primary))))));

        ctx.Monitoring = new MonitoringResources(workspace, topics);
    }

    /// <summary>The remote-write URL a host's agent sends to (the workspace's endpoint ends with '/').</summary>
    public static HostMonitoring ForHosts(AwsContext ctx) =>
        new($"{ctx.Monitoring!.Workspace["prometheusEndpoint"]}api/v1/remote_write", ctx.PrimaryRegion);

    // Every alert to the one SNS receiver, grouped per alert and host; the subject stays within SNS's 100 characters.
    // The topic's ARN is a reference, spliced in between the two halves.
    private static readonly string AlertManagerHead = string.Join('\n',
        "alertmanager_config: |",
        "  route:",
        $"    receiver: {Receiver}",
        "    group_by: [alertname, stack, host]",
        "    group_wait: 30s",
        "    group_interval: 5m",
        "    repeat_interval: 4h",
        "  receivers:",
        $"    - name: {Receiver}",
        "      sns_configs:",
        "        - topic_arn: ");

    private static string AlertManagerTail(string region) => string.Join('\n',
        "",
        "          sigv4:",
        $"            region: {region}",
        "          subject: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.stack }} {{ .CommonLabels.host }}'",
        "          send_resolved: true",
        "");
}
