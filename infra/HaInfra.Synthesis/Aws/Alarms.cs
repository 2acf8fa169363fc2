using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// CloudWatch alarms for what CloudWatch itself sees of a host, each notifying its region's alert topic (alarm and
/// recovery): the EC2 status checks, the attached-EBS status check, the data volume's stalled-I/O check (Nitro, gp3)
/// and, on burstable instance types, a CPU credit balance running out. Everything about the database, and the data
/// disk filling up (not a CloudWatch metric without an agent), is a Prometheus rule evaluated by the stack's
/// workspace (see <see cref="Monitoring"/>): HaInfraDataDiskAlmostFull and the rest of templates/monitoring/alerts.yml.sbn.
/// </summary>
internal static class Alarms
{
    /// <summary>Alarm below this many CPU credits: at most a few minutes of full load left before throttling or surplus charges.</summary>
    public const int CpuCreditFloor = 20;

    public static void Add(AwsContext ctx)
    {
        foreach (var site in ctx.Topology.Sites)
        {
            foreach (var host in site.Hosts)
            {
                var instance = ctx.Hosts[host.Name].Instance;
                var volume = ctx.Hosts[host.Name].DataVolume;
                var onInstance = P.Map(("InstanceId", instance["id"]));
                Add(ctx, site, host, "status-alarm", "status-check", $"{host.Name} failed its EC2 status checks (instance or underlying host)",
                    "AWS/EC2", "StatusCheckFailed", onInstance, periods: 2);
                Add(ctx, site, host, "ebs-status-alarm", "attached-ebs-check", $"{host.Name} cannot complete I/O on an attached EBS volume (root or data)",
                    "AWS/EC2", "StatusCheckFailed_AttachedEBS", onInstance, periods: 2);
                // Published for volumes attached to Nitro instances, with the instance as second dimension.
                Add(ctx, site, host, "data-stalled-alarm", "data-volume-stalled-io", $"{host.Name}: the data volume (/var/lib/mysql) has stalled I/O",
                    "AWS/EBS", "VolumeStalledIOCheck", P.Map(("VolumeId", volume["id"]), ("InstanceId", instance["id"])), periods: 2);
                if (InstanceTypes.IsBurstable(InstanceTypes.For(host.Size)))
                {
                    Add(ctx, site, host, "cpu-credit-alarm", "cpu-credits-low",
                        $"{host.Name} has fewer than {CpuCreditFloor} CPU credits left: its CPU is about to be throttled (or charged as surplus)",
                        "AWS/EC2", "CPUCreditBalance", onInstance, periods: 3, period: 300, threshold: CpuCreditFloor,
                        comparison: "LessThanThreshold", statistic: "Minimum");
                }
            }
        }
    }

    private static void Add(
        AwsContext ctx, Site site, Host host, string part, string alarm, string description, string ns, string metric, PMap dimensions,
        int periods, int period = 60, int threshold = 1, string comparison = "GreaterThanOrEqualToThreshold", string statistic = "Maximum")
    {
        var topic = ctx.Monitoring!.AlertTopics[site.Region]["arn"];
        ctx.Graph.Add(AwsNames.Host(host.Name, part), "aws:cloudwatch:MetricAlarm", P.Map(
            ("name", $"hainfra-{ctx.Topology.Stack}-{host.Name}-{alarm}"),
            ("alarmDescription", description),
            ("namespace", ns),
            ("metricName", metric),
            ("dimensions", dimensions),
            ("statistic", statistic),
            ("period", period),
            ("evaluationPeriods", periods),
            ("threshold", threshold),
            ("comparisonOperator", comparison),
            // A database host that reports nothing is not healthy.
            ("treatMissingData", "breaching"),
            ("alarmActions", P.List(topic)),
            ("okActions", P.List(topic)),
            ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{host.Name}", ("host", host.Name)))), ctx.Via(site.Region));
    }
}
