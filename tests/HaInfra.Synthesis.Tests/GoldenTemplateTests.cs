using HaInfra.Rendering.CloudInit;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>The synthesized programs and every host's cloud-init, against reviewed golden files.</summary>
public class GoldenTemplateTests
{
    [Theory]
    [MemberData(nameof(Synth.AllStacks), MemberType = typeof(Synth))]
    public void Program_matches_its_golden_file(string stack) => Golden.Check($"pulumi/{stack}.yaml", Synth.Text(stack));

    [Theory]
    [MemberData(nameof(Synth.CloudStacks), MemberType = typeof(Synth))]
    public void Cloud_init_of_every_host_matches_its_golden_file(string stack)
    {
        var topology = Synth.Stack(stack);
        foreach (var host in topology.Hosts)
        {
            var tls = new TlsParameters("/hainfra/x/tls/ca", $"/hainfra/x/{host.Name}/tls/cert", $"/hainfra/x/{host.Name}/tls/key");
            var monitoring = new Rendering.Monitoring.HostMonitoring("${metrics-workspace.prometheusEndpoint}api/v1/remote_write", topology.PrimarySite.Region);
            var inputs = new CloudInitInputs(topology.SiteOf(host).Region, $"${{{host.Name}_data.id}}", "/hainfra/x/admin-password", topology.Tls ? tls : null,
                monitoring);
            var file = CloudInitRenderer.Render(Synth.Renderer(), topology, host, inputs);
            Golden.Check($"cloud-init/{stack}/{file.RelativePath}", file.Text);
        }
    }

    /// <summary>The same template on azure: Key Vault secret names, the data disk by LUN, the identity's client id, the metrics agent's token.</summary>
    [Theory]
    [MemberData(nameof(Synth.AzureStacks), MemberType = typeof(Synth))]
    public void Azure_cloud_init_of_every_host_matches_its_golden_file(string stack)
    {
        var topology = Synth.Stack(stack);
        foreach (var host in topology.Hosts)
        {
            var tls = new TlsParameters("tls-ca", $"{host.Name}-tls-cert", $"{host.Name}-tls-key");
            var azure = new AzureHostAccess(0, "${key-vault.name}", $"${{{host.Name}_identity.clientId}}");
            var monitoring = Azure.Metrics.ForHosts(topology.PrimarySite.Region, Azure.Metrics.EndpointName, Azure.Metrics.RuleName);
            var inputs = new CloudInitInputs(topology.SiteOf(host).Region, $"hainfra-{stack}-{host.Name}-data", "admin-password", topology.Tls ? tls : null, monitoring, azure);
            var file = CloudInitRenderer.Render(Synth.Renderer(), topology, host, inputs);
            Assert.DoesNotContain("aws ", file.Text);
            Assert.DoesNotContain("SSM", file.Text);
            Golden.Check($"cloud-init/{stack}/{file.RelativePath}", file.Text);
        }
    }

    [Theory]
    [MemberData(nameof(Synth.AzureStacks), MemberType = typeof(Synth))]
    public void Custom_data_fits_the_azure_limit_and_is_valid_yaml(string stack)
    {
        foreach (var (name, properties) in Synth.OfType(Synth.Tree(stack), "azure:compute:LinuxVirtualMachine"))
        {
            var function = Assert.IsType<Document.PFunction>(properties["customData"]);
            Assert.Equal("fn::toBase64", function.Key);
            var customData = Writing.YamlTemplateWriter.StringOf(function.Argument).Replace("$$", "$", StringComparison.Ordinal);
            // Azure takes at most 64 KiB of base64-encoded custom data.
            Assert.True((customData.Length + 2) / 3 * 4 < 65536, $"{name}: custom data is {customData.Length} bytes before base64; azure accepts 64 KiB encoded");
            var yaml = new YamlDotNet.RepresentationModel.YamlStream();
            yaml.Load(new StringReader(customData));
            var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
            Assert.Contains(root.Children.Keys, k => k.ToString() == "write_files");
            Assert.Contains(root.Children.Keys, k => k.ToString() == "runcmd");
            Assert.Contains("/dev/disk/azure/scsi1/lun0", customData);
        }
    }

    [Fact]
    public void Synthesis_is_deterministic()
    {
        var first = Synth.Text("prod");
        var second = Synth.Text(Synth.Stack("prod"));
        Assert.Equal(first, second);
        Assert.Equal(Synth.Text("azure-prod"), Synth.Text(Synth.Stack("azure-prod")));
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T|\d{2}:\d{2}:\d{2}Z", first);
    }

    [Fact]
    public void Cloud_config_marker_is_the_first_line_and_the_header_names_the_template()
    {
        var topology = Synth.Stack("dev");
        var text = CloudInitRenderer.Render(Synth.Renderer(), topology, topology.Primary,
            new CloudInitInputs("eu-west-1", "vol-0123", "/p", null)).Text;
        var lines = text.Split('\n');
        Assert.Equal("#cloud-config", lines[0]);
        Assert.Contains("templates/cloud-init/mariadb-host.yaml.sbn", lines[1]);
        Assert.DoesNotContain("fetch_tls", text);
        Assert.DoesNotContain("REQUIRE SSL", text);
    }

    [Theory]
    [MemberData(nameof(Synth.CloudStacks), MemberType = typeof(Synth))]
    public void User_data_fits_the_ec2_limit_and_is_valid_yaml(string stack)
    {
        foreach (var (name, properties) in Synth.OfType(Synth.Tree(stack), "aws:ec2:Instance"))
        {
            var userData = Writing.YamlTemplateWriter.StringOf(properties["userData"]!).Replace("$$", "$", StringComparison.Ordinal);
            Assert.True(userData.Length < 16384, $"{name}: user data is {userData.Length} bytes; EC2 accepts 16 KiB");
            var yaml = new YamlDotNet.RepresentationModel.YamlStream();
            yaml.Load(new StringReader(userData));
            var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
            Assert.Contains(root.Children.Keys, k => k.ToString() == "write_files");
            Assert.Contains(root.Children.Keys, k => k.ToString() == "runcmd");
        }
    }
}
