using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// CloudWatch alarms per host: the instance status check for now. Replication-lag and backup-age alarms belong here
/// too and come with the monitoring work (they need the exporter's metrics in CloudWatch first).
/// </summary>
internal static class Alarms
{
    public static void Add(AwsContext ctx)
    {
        foreach (var site in ctx.Topology.Sites)
        {
            foreach (var host in site.Hosts)
            {
                ctx.Graph.Add(AwsNames.Host(host.Name, "status-alarm"), "aws:cloudwatch:MetricAlarm", P.Map(
                    ("name", $"hainfra-{ctx.Topology.Stack}-{host.Name}-status-check"),
                    ("alarmDescription", $"{host.Name} failed its EC2 status checks (instance or underlying host)"),
                    ("namespace", "AWS/EC2"),
                    ("metricName", "StatusCheckFailed"),
                    ("dimensions", P.Map(("InstanceId", ctx.Hosts[host.Name].Instance["id"]))),
                    ("statistic", "Maximum"),
                    ("period", 60),
                    ("evaluationPeriods", 2),
                    ("threshold", 1),
                    ("comparisonOperator", "GreaterThanOrEqualToThreshold"),
                    // A database host that reports nothing is not healthy.
                    ("treatMissingData", "breaching"),
                    ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{host.Name}", ("host", host.Name)))), ctx.Via(site.Region));
            }
        }
    }
}
