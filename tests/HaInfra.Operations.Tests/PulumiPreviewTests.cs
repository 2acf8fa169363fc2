using HaInfra.Operations.Planning;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>
/// Reading a recorded <c>pulumi preview --json</c> (tests/fixtures/pulumi-preview/prod-preview.json, hand-written from the
/// documented schema) and merging it with the offline diff of the same change.
/// </summary>
public class PulumiPreviewTests
{
    private static readonly string FixturePath = Path.Combine(RepoRoot.TestsDir, "fixtures", "pulumi-preview", "prod-preview.json");

    [Fact]
    public void The_fixture_reads_into_steps_with_logical_names_and_short_types()
    {
        var steps = PulumiPreview.Read(File.ReadAllText(FixturePath), FixturePath);

        Assert.Equal(9, steps.Count);
        var volume = Assert.Single(steps, s => s.Name == "prod-db-b1_data");
        Assert.Equal(("update", "aws:ebs:Volume"), (volume.Op, volume.Type));
        Assert.Equal("update", volume.DetailedDiff["size"]);
        Assert.Equal("1000", volume.OldInputs!["size"]!.ToJsonString());
        var cert = steps.Where(s => s.Name == "prod-db-c1_tls-cert").ToList();
        Assert.Equal(["create-replacement", "replace", "delete-replaced"], cert.Select(s => s.Op));
        Assert.All(cert, s => Assert.Equal(("tls:index:LocallySignedCert", "readyForRenewal"), (s.Type, Assert.Single(s.ReplaceReasons))));
        Assert.Equal("pulumi:providers:aws", Assert.Single(steps, s => s.Name == "aws_eu-west-1").Type);
    }

    [Fact]
    public void Merged_with_the_offline_diff_of_the_same_change_both_views_end_up_in_one_entry_per_resource()
    {
        var prod = ProgramDiffTests.Golden("prod.yaml");
        var head = ProgramDiffTests.Edit(prod, "prod-db-b1_data", "size: 1000", "size: 500");
        head = ProgramDiffTests.Edit(head, "db-sg_eu-west-1", "        - \"10.20.0.0/16\"\n", "        - \"10.20.0.0/16\"\n        - \"10.30.0.0/16\"\n");
        head = ProgramDiffTests.Edit(head, "prod-db-a2_instance", "instanceType: m6i.4xlarge", "instanceType: m6i.8xlarge");
        var offline = ProgramDiff.Compare(prod, head);

        var merged = PulumiPreview.Merge(offline, PulumiPreview.Read(File.ReadAllText(FixturePath), FixturePath));

        // The shrink: pulumi plans an update that EC2 will refuse; the offline rule keeps it a destructive replacement.
        var volume = Assert.Single(merged, c => c.Name == "prod-db-b1_data");
        Assert.Equal((ResourceOp.Replace, true, PulumiPreview.BothSources), (volume.Op, volume.HoldsData, volume.Source));
        Assert.Contains("size decrease (EBS volumes cannot shrink)", volume.ReplaceReasons);
        Assert.Contains("pulumi preview: update; offline analysis: replace", volume.ReplaceReasons);
        Assert.True(Assert.Single(volume.Properties).ForcesReplacement);

        // Both agree: one entry, one property change, no disagreement note.
        var group = Assert.Single(merged, c => c.Name == "db-sg_eu-west-1");
        Assert.Equal((ResourceOp.Update, PulumiPreview.BothSources), (group.Op, group.Source));
        Assert.Equal("properties.ingress[1].cidrBlocks[1]", Assert.Single(group.Properties).Path);
        Assert.Empty(group.ReplaceReasons);

        // Only the live preview knows the certificate is due: a pulumi-only replacement, reason from pulumi.
        var cert = Assert.Single(merged, c => c.Name == "prod-db-c1_tls-cert");
        Assert.Equal((ResourceOp.Replace, PulumiPreview.Source, false), (cert.Op, cert.Source, cert.HoldsData));
        Assert.Equal(["readyForRenewal forces replacement (pulumi preview)"], cert.ReplaceReasons);
        Assert.Equal(new PropertyChange("properties.readyForRenewal", "false", "true", true), Assert.Single(cert.Properties));

        // The attachment the offline cascade replaces is "same" in the preview: kept, with the preview's view noted.
        var attachment = Assert.Single(merged, c => c.Name == "prod-db-b1_data-attachment");
        Assert.Equal((ResourceOp.Replace, ProgramDiff.Source), (attachment.Op, attachment.Source));
        Assert.Contains("pulumi preview shows no change for it (same)", attachment.ReplaceReasons);

        // same steps add nothing, and the order is the plan's order.
        Assert.DoesNotContain(merged, c => c.Name is "aws_eu-west-1" or "hainfra-prod");
        Assert.Equal(ProgramDiff.Order(merged), merged);
    }

    [Fact]
    public void A_pulumi_replace_the_offline_analysis_called_an_update_becomes_a_replace_with_pulumis_reason()
    {
        var offline = new[] { new ResourceChange("prod-db-a1_instance", "aws:ec2:Instance", ResourceOp.Update, [new PropertyChange("properties.instanceType", "m6i.4xlarge", "m6i.8xlarge", false)], [], false, ProgramDiff.Source) };
        var steps = PulumiPreview.Read("""
            {"steps": [{"op": "replace", "urn": "urn:pulumi:prod::hainfra::aws:ec2/instance:Instance::prod-db-a1_instance",
              "replaceReasons": ["ebsOptimized"], "detailedDiff": {"ebsOptimized": {"kind": "update-replace", "inputDiff": false}}}]}
            """);

        var change = Assert.Single(PulumiPreview.Merge(offline, steps));

        Assert.Equal(ResourceOp.Replace, change.Op);
        Assert.Equal(["ebsOptimized forces replacement (pulumi preview)", "pulumi preview: replace; offline analysis: update"], change.ReplaceReasons);
        Assert.Equal(["properties.instanceType", "properties.ebsOptimized"], change.Properties.Select(p => p.Path));
    }

    [Fact]
    public void A_pulumi_only_delete_of_a_data_holding_resource_holds_data_by_the_same_table()
    {
        var steps = PulumiPreview.Read("""
            {"steps": [{"op": "delete", "urn": "urn:pulumi:prod::hainfra::aws:s3/bucket:Bucket::backup_bucket",
              "oldState": {"type": "aws:s3/bucket:Bucket", "inputs": {"bucketPrefix": "hainfra-prod-backup-"}}, "detailedDiff": null}],
             "changeSummary": {"delete": 1}}
            """);

        var change = Assert.Single(PulumiPreview.Merge([], steps));

        Assert.Equal(("backup_bucket", "aws:s3:Bucket", ResourceOp.Delete, true, PulumiPreview.Source), (change.Name, change.Type, change.Op, change.HoldsData, change.Source));
    }

    [Fact]
    public void Secrets_in_a_previews_state_are_masked()
    {
        var steps = PulumiPreview.Read("""
            {"steps": [{"op": "update", "urn": "urn:pulumi:prod::hainfra::aws:ssm/parameter:Parameter::admin-password-param_eu-west-1",
              "oldState": {"inputs": {"value": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"old-secret\""}}},
              "newState": {"inputs": {"value": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"new-secret\""}}},
              "detailedDiff": {"value": {"kind": "update", "inputDiff": true}}}]}
            """);

        var value = Assert.Single(Assert.Single(PulumiPreview.Merge([], steps)).Properties);

        Assert.Equal((DisplayValue.Masked, DisplayValue.Masked), (value.Old, value.New));
    }

    [Theory]
    [InlineData("{\"steps\": [", "is not valid JSON")]
    [InlineData("[]", "is not the output of `pulumi preview --json`")]
    [InlineData("{\"steps\": {}}", "\"steps\" is not an array")]
    [InlineData("{\"steps\": [{\"op\": \"update\"}]}", "steps[0] has no \"urn\"")]
    [InlineData("{\"steps\": [{\"op\": \"upgrade\", \"urn\": \"urn:pulumi:prod::hainfra::aws:s3/bucket:Bucket::b\"}]}", "unknown op \"upgrade\"")]
    [InlineData("{\"steps\": [{\"op\": \"update\", \"urn\": \"prod-db-a1\"}]}", "is not a Pulumi URN")]
    public void Bad_input_names_the_file_and_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidInputException>(() => PulumiPreview.Read(json, "preview.json"));

        Assert.StartsWith("preview.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
