using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Per host: an encrypted gp3 data volume, the EC2 instance in its site's zone (no public address, IMDSv2 only,
/// encrypted gp3 root, user data from templates/cloud-init/ with the metrics agent), and the attachment between them.
/// </summary>
internal static class Hosts
{
    public const string DataDevice = "/dev/sdf";
    public const int RootVolumeGb = 20;

    /// <summary>Debian's own AWS account, which publishes the official Debian AMIs.</summary>
    public const string DebianOwner = "136693071363";

    public static void Add(AwsContext ctx)
    {
        var amis = ctx.Topology.Regions.ToDictionary(r => r, r => ctx.Graph.Variable(AwsNames.Regional("debian12", r), P.Invoke("aws:ec2:getAmi", P.Map(
            ("mostRecent", true),
            ("owners", P.Texts([DebianOwner])),
            ("filters", P.List(
                P.Map(("name", "name"), ("values", P.Texts(["debian-12-amd64-*"]))),
                P.Map(("name", "architecture"), ("values", P.Texts(["x86_64"]))),
                P.Map(("name", "virtualization-type"), ("values", P.Texts(["hvm"])))))), ctx.Providers[r].Ref, "id")), StringComparer.Ordinal);

        foreach (var site in ctx.Topology.Sites)
        {
            foreach (var host in site.Hosts)
            {
                AddHost(ctx, site, host, amis[site.Region]);
            }
        }
    }

    private static void AddHost(AwsContext ctx, Site site, Host host, PRef ami)
    {
        var region = site.Region;
        var via = ctx.Via(region);
        var privateDns = $"{host.Name}.{ctx.Topology.Network.DnsZone}";
        var tags = AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{host.Name}", ("site", site.Name), ("role", Spellings.Role.Of(host.Role)), ("host", host.Name));
        var tls = Tls.ForHost(ctx, host, region, privateDns);
        var galeraRecord = GaleraBootstrapRecord.WritableBy(ctx, host);
        List<Resource> secrets = [ctx.Passwords.AdminParameters[region], .. tls?.Parameters ?? [], .. galeraRecord is null ? [] : new[] { galeraRecord }];
        var profile = Iam.ForHost(ctx, host, region, secrets, galeraRecord);

        var volume = ctx.Graph.Add(AwsNames.Host(host.Name, "data"), "aws:ebs:Volume", P.Map(
            ("availabilityZone", host.Zone),
            ("size", host.DataDiskGb),
            ("type", "gp3"),
            ("iops", host.DataDisk.Iops),
            ("throughput", host.DataDisk.ThroughputMbps),
            ("encrypted", true),
            ("kmsKeyId", ctx.Keys[region]["arn"]),
            ("finalSnapshot", true),
            ("tags", tags)), via);

        var inputs = new CloudInitInputs(region, volume["id"].ToString(), AwsNames.Parameter(ctx.Topology.Stack, Passwords.AdminParameter), tls?.Names,
            Monitoring.ForHosts(ctx), Galera: GaleraBootstrapRecord.StartOf(ctx, host));
        var userData = CloudInitRenderer.Render(ctx.Renderer, ctx.Topology, host, inputs).Text;
        var instance = ctx.Graph.Add(AwsNames.Host(host.Name, "instance"), "aws:ec2:Instance", P.Map(
            ("ami", ami),
            ("instanceType", InstanceTypes.For(host.Size)),
            ("subnetId", ctx.Regions[region].Subnets[host.Zone]["id"]),
            ("vpcSecurityGroupIds", GaleraCluster.IsNode(ctx.Topology, host)
                ? P.List(ctx.Regions[region].SecurityGroup["id"], ctx.GaleraGroups[region]["id"])
                : P.List(ctx.Regions[region].SecurityGroup["id"])),
            ("iamInstanceProfile", profile["name"]),
            ("associatePublicIpAddress", false),
            ("ebsOptimized", true),
            ("metadataOptions", P.Map(("httpEndpoint", "enabled"), ("httpTokens", "required"), ("httpPutResponseHopLimit", 1))),
            ("rootBlockDevice", P.Map(
                ("volumeType", "gp3"),
                ("volumeSize", RootVolumeGb),
                ("encrypted", true),
                ("kmsKeyId", ctx.Keys[region]["arn"]),
                ("deleteOnTermination", true))),
            ("userData", P.Splice(userData, [volume["id"], ctx.Monitoring!.Workspace["prometheusEndpoint"]])),
            ("tags", tags)),
            // A newer Debian AMI must not replace a database host, and user data runs at first boot only (later
            // my.cnf changes are pushed to running hosts, never applied by restarting them).
            ctx.Via(region, ("ignoreChanges", P.Texts(["ami", "userData"]))));

        var attachment = ctx.Graph.Add(AwsNames.Host(host.Name, "data-attachment"), "aws:ec2:VolumeAttachment", P.Map(
            ("deviceName", DataDevice),
            ("volumeId", volume["id"]),
            ("instanceId", instance["id"]),
            ("stopInstanceBeforeDetaching", true)), via);
        ctx.Hosts[host.Name] = new HostResources(instance, volume, attachment, profile, privateDns);
    }
}
