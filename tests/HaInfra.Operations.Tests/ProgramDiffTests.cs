using System.Text.RegularExpressions;
using HaInfra.Operations.Planning;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>
/// The offline program diff on the real synthesized programs (tests/golden/pulumi), edited the way a stack or code
/// change would edit them: what would be created, updated, replaced or deleted, and why.
/// </summary>
public class ProgramDiffTests
{
    private static readonly string Prod = Golden("prod.yaml");
    private static readonly string AzureProd = Golden("azure-prod.yaml");

    [Fact]
    public void Identical_programs_have_no_changes()
    {
        Assert.Empty(ProgramDiff.Compare(Prod, Prod));
        Assert.Empty(ProgramDiff.Compare(AzureProd, AzureProd));
    }

    [Fact]
    public void An_ami_or_user_data_change_under_ignore_changes_is_no_change_at_all()
    {
        var head = Edit(Prod, "prod-db-a1_instance", "ami: ${debian12_eu-west-1}", "ami: ami-0123456789abcdef0");
        head = Edit(head, "prod-db-a1_instance", "server_id                       = 302731", "server_id                       = 302732");

        Assert.Empty(ProgramDiff.Compare(Prod, head));
    }

    [Fact]
    public void Without_ignore_changes_the_same_ami_change_replaces_the_instance()
    {
        // The control for the test above: the AMI rule is there, ignoreChanges is what silences it.
        var baseProgram = Edit(Prod, "prod-db-a1_instance", "\n      ignoreChanges:\n      - ami\n      - userData", "");
        var head = Edit(baseProgram, "prod-db-a1_instance", "ami: ${debian12_eu-west-1}", "ami: ami-0123456789abcdef0");

        var instance = Assert.Single(ProgramDiff.Compare(baseProgram, head), c => c.Name == "prod-db-a1_instance");

        Assert.Equal(ResourceOp.Replace, instance.Op);
        Assert.Contains("ami forces replacement", instance.ReplaceReasons);
    }

    [Fact]
    public void Moving_a_host_to_another_zone_replaces_its_instance_and_data_volume_and_the_attachment_follows()
    {
        var head = Edit(Prod, "prod-db-a1_instance", "subnetId: ${subnet_eu-west-1a.id}", "subnetId: ${subnet_eu-west-1b.id}");
        head = Edit(head, "prod-db-a1_data", "availabilityZone: eu-west-1a", "availabilityZone: eu-west-1b");

        var changes = ProgramDiff.Compare(Prod, head);

        var volume = Assert.Single(changes, c => c.Name == "prod-db-a1_data");
        Assert.Equal(ResourceOp.Replace, volume.Op);
        Assert.True(volume.HoldsData);
        Assert.Contains("availabilityZone forces replacement", volume.ReplaceReasons);
        var zone = Assert.Single(volume.Properties);
        Assert.Equal(new PropertyChange("properties.availabilityZone", "eu-west-1a", "eu-west-1b", true), zone);

        var instance = Assert.Single(changes, c => c.Name == "prod-db-a1_instance");
        Assert.Equal(ResourceOp.Replace, instance.Op);
        Assert.False(instance.HoldsData);
        Assert.True(ReplacementTable.IsHost(instance.Type));
        Assert.Contains("subnetId forces replacement", instance.ReplaceReasons);

        // Cascade: both ids the attachment holds change, and they force it; the DNS record and the alarm only update.
        var attachment = Assert.Single(changes, c => c.Name == "prod-db-a1_data-attachment");
        Assert.Equal(ResourceOp.Replace, attachment.Op);
        Assert.Contains(attachment.Properties, p => p.Path == "properties.volumeId" && p.ForcesReplacement);
        Assert.Contains(attachment.Properties, p => p.Path == "properties.instanceId" && p.ForcesReplacement);
        Assert.Equal(ResourceOp.Update, Assert.Single(changes, c => c.Name == "prod-db-a1_dns").Op);
        Assert.Equal(ResourceOp.Update, Assert.Single(changes, c => c.Name == "prod-db-a1_status-alarm").Op);

        // Nothing of the other hosts moves.
        Assert.DoesNotContain(changes, c => c.Name.StartsWith("prod-db-a2", StringComparison.Ordinal));
    }

    [Fact]
    public void Growing_a_data_volume_is_an_update_and_shrinking_it_a_destructive_replacement()
    {
        var grown = Edit(Prod, "prod-db-b1_data", "size: 1000", "size: 1500");
        var shrunk = Edit(Prod, "prod-db-b1_data", "size: 1000", "size: 500");

        var growth = Assert.Single(ProgramDiff.Compare(Prod, grown));
        Assert.Equal(ResourceOp.Update, growth.Op);
        Assert.Empty(growth.ReplaceReasons);
        Assert.Equal(new PropertyChange("properties.size", "1000", "1500", false), Assert.Single(growth.Properties));

        var shrink = ProgramDiff.Compare(Prod, shrunk);
        var volume = Assert.Single(shrink, c => c.Name == "prod-db-b1_data");
        Assert.Equal(ResourceOp.Replace, volume.Op);
        Assert.True(volume.HoldsData);
        Assert.Equal(["size decrease (EBS volumes cannot shrink)"], volume.ReplaceReasons);
        Assert.Equal(new PropertyChange("properties.size", "1000", "500", true), Assert.Single(volume.Properties));
        Assert.Equal(ResourceOp.Replace, Assert.Single(shrink, c => c.Name == "prod-db-b1_data-attachment").Op);
    }

    [Fact]
    public void A_cidr_added_to_the_database_security_group_is_an_update_with_its_path()
    {
        var head = Edit(Prod, "db-sg_eu-west-1", "        - \"10.20.0.0/16\"\n", "        - \"10.20.0.0/16\"\n        - \"0.0.0.0/0\"\n");

        var change = Assert.Single(ProgramDiff.Compare(Prod, head));

        Assert.Equal(("db-sg_eu-west-1", "aws:ec2:SecurityGroup", ResourceOp.Update), (change.Name, change.Type, change.Op));
        Assert.Equal(new PropertyChange("properties.ingress[1].cidrBlocks[1]", null, "0.0.0.0/0", false), Assert.Single(change.Properties));
    }

    [Fact]
    public void A_renamed_resource_is_a_delete_and_a_create_deletes_first()
    {
        var head = Prod.Replace("\n  prod-db-a1_status-alarm:\n", "\n  prod-db-a1_status-check:\n", StringComparison.Ordinal);

        var changes = ProgramDiff.Compare(Prod, head);

        Assert.Equal(
            [("prod-db-a1_status-alarm", ResourceOp.Delete), ("prod-db-a1_status-check", ResourceOp.Create)],
            changes.Select(c => (c.Name, c.Op)));
    }

    [Fact]
    public void A_changed_type_replaces_and_depends_on_alone_changes_nothing()
    {
        var retyped = Edit(Prod, "backup_bucket", "type: aws:s3:Bucket", "type: aws:s3:BucketV2");
        var change = Assert.Single(ProgramDiff.Compare(Prod, retyped), c => c.Name == "backup_bucket");
        Assert.Equal(ResourceOp.Replace, change.Op);
        Assert.True(change.HoldsData);
        Assert.Contains("type changes from aws:s3:Bucket to aws:s3:BucketV2", change.ReplaceReasons);

        var dependsOn = Edit(Prod, "nat_eu-west-1", "\n      dependsOn:\n      - ${igw_eu-west-1}", "");
        Assert.Empty(ProgramDiff.Compare(Prod, dependsOn));
    }

    [Fact]
    public void A_resource_moved_to_the_provider_of_another_region_is_replaced()
    {
        var head = Edit(Prod, "prod-db-dr1_data", "provider: ${aws_eu-central-1}", "provider: ${aws_eu-west-1}");

        var volume = Assert.Single(ProgramDiff.Compare(Prod, head), c => c.Name == "prod-db-dr1_data");

        Assert.Equal(ResourceOp.Replace, volume.Op);
        Assert.Contains("region changes from eu-central-1 to eu-west-1 (its provider)", volume.ReplaceReasons);
        Assert.Equal(
            new PropertyChange("options.provider", "${aws_eu-central-1} (eu-central-1)", "${aws_eu-west-1} (eu-west-1)", true),
            Assert.Single(volume.Properties));
    }

    [Fact]
    public void A_new_password_generator_setting_replaces_the_password_and_updates_what_carries_it()
    {
        var head = Edit(Prod, "admin-password", "length: 32", "length: 40");

        var changes = ProgramDiff.Compare(Prod, head);

        var password = Assert.Single(changes, c => c.Name == "admin-password");
        Assert.Equal(ResourceOp.Replace, password.Op);
        Assert.True(password.HoldsData);
        var parameter = Assert.Single(changes, c => c.Name == "admin-password-param_eu-west-1");
        Assert.Equal(ResourceOp.Update, parameter.Op);
        Assert.Equal("<changes: admin-password is replaced>", Assert.Single(parameter.Properties, p => p.Path == "properties.value").New);
        // The bootstrap command gets the password in its environment: shown masked, by the key's name.
        var bootstrap = Assert.Single(changes, c => c.Name == "replication-bootstrap");
        Assert.Equal(DisplayValue.Masked, Assert.Single(bootstrap.Properties, p => p.Path == "properties.environment.HAINFRA_ADMIN_PASSWORD").Old);
    }

    [Fact]
    public void Long_texts_show_their_length_and_hash_and_secret_keys_are_masked()
    {
        var rules = Edit(Prod, "alert-rules", "for: 5m", "for: 6m");
        var data = Assert.Single(Assert.Single(ProgramDiff.Compare(Prod, rules)).Properties);
        Assert.Equal("properties.data", data.Path);
        Assert.Matches(@"^<text, [0-9,]+ chars, sha256 [0-9a-f]{8}>$", data.Old!);
        Assert.Matches(@"^<text, [0-9,]+ chars, sha256 [0-9a-f]{8}>$", data.New!);
        Assert.NotEqual(data.Old, data.New);

        var secret = Edit(Prod, "replication-bootstrap", "HAINFRA_ADMIN_PASSWORD: ${admin-password.result}", "HAINFRA_ADMIN_PASSWORD: hunter2-plaintext");
        var masked = Assert.Single(Assert.Single(ProgramDiff.Compare(Prod, secret)).Properties);
        Assert.Equal((DisplayValue.Masked, DisplayValue.Masked), (masked.Old, masked.New));
    }

    [Fact]
    public void Azure_zone_moves_replace_the_vm_and_its_disk_and_a_disk_shrink_is_destructive()
    {
        var moved = Edit(AzureProd, "prod-db-a1_vm", "zone: \"1\"", "zone: \"2\"");
        moved = Edit(moved, "prod-db-a1_data", "zone: \"1\"", "zone: \"2\"");
        var changes = ProgramDiff.Compare(AzureProd, moved);
        Assert.Equal(ResourceOp.Replace, Assert.Single(changes, c => c.Name == "prod-db-a1_vm").Op);
        var disk = Assert.Single(changes, c => c.Name == "prod-db-a1_data");
        Assert.Equal((ResourceOp.Replace, true), (disk.Op, disk.HoldsData));
        Assert.Contains("zone forces replacement", disk.ReplaceReasons);
        Assert.Equal(ResourceOp.Replace, Assert.Single(changes, c => c.Name == "prod-db-a1_data-attachment").Op);

        var resized = Edit(AzureProd, "prod-db-a1_vm", "size: Standard_D16s_v5", "size: Standard_D32s_v5");
        Assert.Equal(ResourceOp.Update, Assert.Single(ProgramDiff.Compare(AzureProd, resized)).Op);

        var shrunk = Edit(AzureProd, "prod-db-a1_data", "diskSizeGb: 1000", "diskSizeGb: 900");
        var shrink = Assert.Single(ProgramDiff.Compare(AzureProd, shrunk), c => c.Name == "prod-db-a1_data");
        Assert.Equal(["size decrease (Azure managed disks cannot shrink)"], shrink.ReplaceReasons);
    }

    [Fact]
    public void Every_resource_type_the_synthesizers_emit_is_in_the_replacement_table()
    {
        var types = Directory.GetFiles(Path.Combine(RepoRoot.TestsDir, "golden", "pulumi"), "*.yaml")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"^    type: (\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(types);
        Assert.DoesNotContain(types, t => !ReplacementTable.IsKnown(t));
    }

    [Fact]
    public void The_order_is_most_destructive_first_then_by_name()
    {
        var head = Edit(Prod, "prod-db-b1_data", "size: 1000", "size: 500");
        head = Edit(head, "db-sg_eu-west-1", "        - \"10.20.0.0/16\"\n", "        - \"10.30.0.0/16\"\n");
        head = head.Replace("\n  prod-db-a1_status-alarm:\n", "\n  prod-db-a1_status-check:\n", StringComparison.Ordinal);

        var ops = ProgramDiff.Compare(Prod, head).Select(c => (c.Op, c.Name)).ToList();

        Assert.Equal(ops.OrderBy(o => ProgramDiff.Severity(o.Op)).ThenBy(o => o.Name, StringComparer.Ordinal), ops);
        Assert.Equal(ResourceOp.Delete, ops[0].Op);
        Assert.Equal(ResourceOp.Create, ops[^1].Op);
    }

    [Fact]
    public void Text_that_is_not_a_program_is_bad_input_naming_the_side()
    {
        var error = Assert.Throws<InvalidInputException>(() => ProgramDiff.Compare(Prod, "resources: [unclosed"));
        Assert.Contains("the head program", error.Message, StringComparison.Ordinal);
    }

    internal static string Golden(string file) => File.ReadAllText(Path.Combine(RepoRoot.TestsDir, "golden", "pulumi", file));

    /// <summary>Replaces text inside one resource's block only (from its key to the next top-level resource), exactly once.</summary>
    internal static string Edit(string program, string resource, string oldText, string newText)
    {
        var start = program.IndexOf($"\n  {resource}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no resource {resource}");
        var end = Regex.Match(program[(start + 1)..], @"\n  \S").Index + start + 1;
        end = end <= start + 1 ? program.Length : end;
        var block = program[start..end];
        Assert.True(block.Split(oldText).Length == 2, $"'{oldText}' is not exactly once in {resource}");
        return program[..start] + block.Replace(oldText, newText, StringComparison.Ordinal) + program[end..];
    }
}
