using System.Globalization;

namespace HaInfra.Operations.Planning;

/// <summary>
/// Which property changes make the provider replace a resource (delete and create again), for every resource type our
/// AWS and Azure programs emit, and which types hold data a replacement or deletion loses. One table, so the offline
/// diff and a merged <c>pulumi preview</c> flag the same resources.
/// <para>
/// Sources, by provider (the versions the programs pin):
/// pulumi-aws 7.48.0 bridges terraform-provider-aws, so an argument with <c>ForceNew: true</c> in the upstream schema is a
/// replacement in Pulumi (internal/service/&lt;service&gt;/&lt;resource&gt;.go; the AWS typings do not document it).
/// pulumi-aws v7 also gives every resource a <c>region</c> argument that forces replacement (upstream's "enhanced region
/// support"), and dropped the cascading replacement on a provider region change (pulumi/pulumi-aws#5656).
/// @pulumi/azure 6.40.0: "Changing this forces a new resource to be created" in the argument's own documentation
/// (compute/linuxVirtualMachine.d.ts and so on; listed from the installed typings).
/// random 4.21.2 and tls 5.6.1: every argument of their resources carries RequiresReplace upstream (terraform-provider-random,
/// terraform-provider-tls): any change is a new value. command 4.5.0: only <c>triggers</c> replaces ("Trigger a resource
/// replacement on changes to any of these values"); other changes run the update command.
/// </para>
/// <para>
/// Types not in the table: every change is assumed to be an update in place (only a changed <c>type</c> replaces);
/// <see cref="IsKnown"/> lets a plan say so.
/// </para>
/// </summary>
public static class ReplacementTable
{
    /// <summary>A size that cannot go down in place: a decrease replaces the resource with <paramref name="Reason"/>.</summary>
    private sealed record NoShrink(string Shape, string Reason);

    /// <summary>A rule that depends on the values: returns the replacement reason, or null.</summary>
    private delegate string? Conditional(string shape, string? oldValue, string? newValue, Func<string, string?> headProperty);

    private sealed record Entry(
        string[] ForceNew,
        string Source,
        bool HoldsData = false,
        bool IsHost = false,
        bool EveryChangeReplaces = false,
        NoShrink[]? Shrinks = null,
        Conditional? When = null);

    private const string Tf = "terraform-provider-aws ForceNew, internal/service/";
    private const string AzureDocs = "@pulumi/azure 6.40.0 typings: \"Changing this forces a new resource to be created\"";
    private const string EbsShrink = "size decrease (EBS volumes cannot shrink)";
    private const string AzureShrink = "size decrease (Azure managed disks cannot shrink)";

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        // --- AWS. Hosts: an instance replacement rebuilds the host from the AMI and cloud-init; the database lives on
        // its separate data volume (aws:ebs:Volume), which survives unless it is replaced itself, so the instance is a
        // host (IsHost) but not HoldsData. instanceType, userData (without userDataReplaceOnChange), vpcSecurityGroupIds,
        // iamInstanceProfile and metadataOptions are updates; instanceType and userData stop and start the instance.
        ["aws:ec2:Instance"] = new(
            ["ami", "availabilityZone", "subnetId", "keyName", "privateIp", "associatePublicIpAddress", "placementGroup",
             "placementPartitionNumber", "tenancy", "hostId", "ebsOptimized", "cpuOptions", "cpuCoreCount", "cpuThreadsPerCore",
             "ebsBlockDevices", "ephemeralBlockDevices", "launchTemplate", "ipv6Addresses", "ipv6AddressCount", "hibernation",
             "networkInterfaces", "securityGroups", "privateDnsNameOptions", "enclaveOptions",
             "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId"],
            Tf + "ec2/ec2_instance.go (root_block_device: only volume size, type, iops, throughput and delete_on_termination change in place)",
            IsHost: true,
            Shrinks: [new("rootBlockDevice.volumeSize", EbsShrink)],
            When: (shape, _, _, head) => shape is "userData" or "userDataBase64" && head("userDataReplaceOnChange") == "true"
                ? $"{shape} forces replacement (userDataReplaceOnChange is set)"
                : null),
        ["aws:ebs:Volume"] = new(
            ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "multiAttachEnabled", "outpostArn"],
            Tf + "ec2/ebs_volume.go (size, type, iops and throughput go through ModifyVolume, which only grows a volume)",
            HoldsData: true,
            Shrinks: [new("size", EbsShrink)]),
        ["aws:ec2:VolumeAttachment"] = new(["deviceName", "instanceId", "volumeId"], Tf + "ec2/ec2_volume_attachment.go"),
        ["aws:s3:Bucket"] = new(["bucket", "bucketPrefix", "objectLockEnabled"], Tf + "s3/bucket.go", HoldsData: true),
        ["aws:s3:BucketVersioning"] = new(["bucket", "expectedBucketOwner"], Tf + "s3/bucket_versioning.go"),
        ["aws:s3:BucketServerSideEncryptionConfiguration"] = new(["bucket", "expectedBucketOwner"], Tf + "s3/bucket_server_side_encryption_configuration.go"),
        ["aws:s3:BucketPublicAccessBlock"] = new(["bucket"], Tf + "s3/bucket_public_access_block.go"),
        ["aws:s3:BucketOwnershipControls"] = new(["bucket"], Tf + "s3/bucket_ownership_controls.go"),
        ["aws:s3:BucketPolicy"] = new(["bucket"], Tf + "s3/bucket_policy.go"),
        ["aws:s3:BucketLifecycleConfiguration"] = new(["bucket", "expectedBucketOwner"], Tf + "s3/bucket_lifecycle_configuration.go"),
        ["aws:s3:BucketReplicationConfig"] = new(["bucket"], Tf + "s3/bucket_replication_configuration.go"),
        // The key encrypts the data volumes, the SSM parameters and the backups: deleting it (after its window) makes them unreadable.
        ["aws:kms:Key"] = new(["customerMasterKeySpec", "keySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"], Tf + "kms/key.go", HoldsData: true),
        ["aws:kms:Alias"] = new(["name", "namePrefix"], Tf + "kms/alias.go"),
        ["aws:ec2:Vpc"] = new(["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"], Tf + "ec2/vpc_.go"),
        ["aws:ec2:Subnet"] = new(["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"], Tf + "ec2/vpc_subnet.go"),
        ["aws:ec2:SecurityGroup"] = new(["name", "namePrefix", "description", "vpcId"], Tf + "ec2/vpc_security_group.go (ingress and egress change in place)"),
        ["aws:ec2:RouteTable"] = new(["vpcId"], Tf + "ec2/vpc_route_table.go"),
        ["aws:ec2:Route"] = new(["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"], Tf + "ec2/vpc_route.go"),
        ["aws:ec2:RouteTableAssociation"] = new(["subnetId", "gatewayId"], Tf + "ec2/vpc_route_table_association.go"),
        ["aws:ec2:InternetGateway"] = new([], Tf + "ec2/vpc_internet_gateway.go"),
        ["aws:ec2:Eip"] = new(["domain", "address", "networkBorderGroup", "publicIpv4Pool", "customerOwnedIpv4Pool"], Tf + "ec2/ec2_eip.go"),
        ["aws:ec2:NatGateway"] = new(["allocationId", "subnetId", "connectivityType", "privateIp"], Tf + "ec2/vpc_nat_gateway.go"),
        ["aws:ec2:VpcEndpoint"] = new(["vpcId", "serviceName", "vpcEndpointType", "serviceRegion"], Tf + "ec2/vpc_endpoint.go"),
        ["aws:ec2:VpcPeeringConnection"] = new(["vpcId", "peerVpcId", "peerOwnerId", "peerRegion"], Tf + "ec2/vpc_peering_connection.go"),
        ["aws:ec2:VpcPeeringConnectionAccepter"] = new(["vpcPeeringConnectionId"], Tf + "ec2/vpc_peering_connection_accepter.go"),
        ["aws:iam:Role"] = new(["name", "namePrefix", "path"], Tf + "iam/role.go"),
        ["aws:iam:RolePolicy"] = new(["name", "namePrefix", "role"], Tf + "iam/role_policy.go"),
        ["aws:iam:RolePolicyAttachment"] = new(["role", "policyArn"], Tf + "iam/role_policy_attachment.go"),
        ["aws:iam:InstanceProfile"] = new(["name", "namePrefix", "path"], Tf + "iam/instance_profile.go"),
        // The parameters hold copies of generated values (passwords, the TLS key): the generators hold the data.
        ["aws:ssm:Parameter"] = new(["name", "dataType"], Tf + "ssm/parameter.go"),
        ["aws:route53:Zone"] = new(["name", "delegationSetId"], Tf + "route53/zone.go"),
        ["aws:route53:Record"] = new(["zoneId", "name"], Tf + "route53/record.go"),
        ["aws:cloudwatch:MetricAlarm"] = new(["name"], Tf + "cloudwatch/metric_alarm.go"),
        ["aws:sns:Topic"] = new(["name", "namePrefix", "fifoTopic"], Tf + "sns/topic.go"),
        ["aws:sns:TopicPolicy"] = new(["arn"], Tf + "sns/topic_policy.go"),
        ["aws:amp:Workspace"] = new(["kmsKeyArn"], Tf + "amp/workspace.go"),
        ["aws:amp:RuleGroupNamespace"] = new(["name", "workspaceId"], Tf + "amp/rule_group_namespace.go"),
        ["aws:amp:AlertManagerDefinition"] = new(["workspaceId"], Tf + "amp/alert_manager_definition.go"),

        // --- Azure. size (a VM resize) deallocates and restarts the VM; the data disk is its own resource, as on AWS.
        ["azure:compute:LinuxVirtualMachine"] = new(
            ["name", "location", "resourceGroupName", "zone", "computerName", "adminUsername", "adminPassword", "adminSshKeys",
             "disablePasswordAuthentication", "customData", "sourceImageReference", "sourceImageId", "availabilitySetId",
             "platformFaultDomain", "priority", "evictionPolicy", "edgeZone", "plan", "provisionVmAgent", "secureBootEnabled",
             "vtpmEnabled", "osManagedDiskId", "osDisk.name", "osDisk.storageAccountType", "osDisk.diffDiskSettings",
             "osDisk.securityEncryptionType", "osDisk.secureVmDiskEncryptionSetId"],
            AzureDocs + " (compute/linuxVirtualMachine.d.ts, LinuxVirtualMachineOsDisk in types/input.d.ts)",
            IsHost: true,
            Shrinks: [new("osDisk.diskSizeGb", AzureShrink)]),
        ["azure:compute:ManagedDisk"] = new(
            ["name", "location", "resourceGroupName", "zone", "createOption", "edgeZone", "galleryImageReferenceId", "hyperVGeneration",
             "imageReferenceId", "logicalSectorSize", "performancePlusEnabled", "secureVmDiskEncryptionSetId", "securityType",
             "sourceResourceId", "sourceUri", "storageAccountId", "trustedLaunchEnabled", "uploadSizeBytes"],
            AzureDocs + " (compute/managedDisk.d.ts; diskSizeGb: \"The size can only be increased\")",
            HoldsData: true,
            Shrinks: [new("diskSizeGb", AzureShrink)]),
        ["azure:compute:DataDiskAttachment"] = new(["managedDiskId", "virtualMachineId", "lun", "createOption"], AzureDocs + " (compute/dataDiskAttachment.d.ts)"),
        ["azure:core:ResourceGroup"] = new(["name", "location"], AzureDocs + " (core/resourceGroup.d.ts)"),
        ["azure:authorization:Assignment"] = new(
            ["name", "scope", "roleDefinitionId", "roleDefinitionName", "principalId", "principalType", "description", "condition",
             "conditionVersion", "delegatedManagedIdentityResourceId"],
            AzureDocs + " (authorization/assignment.d.ts)"),
        ["azure:authorization:UserAssignedIdentity"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (authorization/userAssignedIdentity.d.ts)"),
        // The vault holds the stack's secrets and has purge protection: a replacement cannot reuse its name for the retention days.
        ["azure:keyvault:KeyVault"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (keyvault/keyVault.d.ts)", HoldsData: true),
        ["azure:keyvault:Secret"] = new(["name", "keyVaultId"], AzureDocs + " (keyvault/secret.d.ts)"),
        ["azure:monitoring:ActionGroup"] = new(["name", "resourceGroupName", "location"], AzureDocs + " (monitoring/actionGroup.d.ts)"),
        ["azure:monitoring:MetricAlert"] = new(["name", "resourceGroupName"], AzureDocs + " (monitoring/metricAlert.d.ts)"),
        ["azure:monitoring:Workspace"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (monitoring/workspace.d.ts)"),
        ["azure:monitoring:DataCollectionEndpoint"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (monitoring/dataCollectionEndpoint.d.ts)"),
        ["azure:monitoring:DataCollectionRule"] = new(["name", "location", "resourceGroupName", "kind"], AzureDocs + " (monitoring/dataCollectionRule.d.ts)"),
        ["azure:monitoring:AlertPrometheusRuleGroup"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (monitoring/alertPrometheusRuleGroup.d.ts)"),
        ["azure:network:NetworkInterface"] = new(["name", "location", "resourceGroupName", "edgeZone"], AzureDocs + " (network/networkInterface.d.ts)"),
        ["azure:network:NetworkSecurityGroup"] = new(["name", "location", "resourceGroupName"], AzureDocs + " (network/networkSecurityGroup.d.ts)"),
        ["azure:network:Subnet"] = new(["name", "resourceGroupName", "virtualNetworkName"], AzureDocs + " (network/subnet.d.ts)"),
        ["azure:network:SubnetNetworkSecurityGroupAssociation"] = new(["subnetId", "networkSecurityGroupId"], AzureDocs + " (network/subnetNetworkSecurityGroupAssociation.d.ts)"),
        ["azure:network:VirtualNetwork"] = new(["name", "location", "resourceGroupName", "edgeZone"], AzureDocs + " (network/virtualNetwork.d.ts)"),
        ["azure:network:VirtualNetworkPeering"] = new(
            ["name", "resourceGroupName", "virtualNetworkName", "remoteVirtualNetworkId", "onlyIpv6PeeringEnabled", "peerCompleteVirtualNetworksEnabled"],
            AzureDocs + " (network/virtualNetworkPeering.d.ts)"),
        ["azure:privatedns:Zone"] = new(["name", "resourceGroupName", "soaRecord"], AzureDocs + " (privatedns/zone.d.ts)"),
        ["azure:privatedns:ZoneVirtualNetworkLink"] = new(["name", "resourceGroupName", "privateDnsZoneName", "virtualNetworkId"], AzureDocs + " (privatedns/zoneVirtualNetworkLink.d.ts)"),
        ["azure:privatedns:ARecord"] = new(["name", "resourceGroupName", "zoneName"], AzureDocs + " (privatedns/arecord.d.ts)"),
        ["azure:storage:Account"] = new(
            ["name", "location", "resourceGroupName", "accountTier", "infrastructureEncryptionEnabled", "isHnsEnabled", "nfsv3Enabled",
             "edgeZone", "dnsEndpointType", "queueEncryptionKeyType", "tableEncryptionKeyType", "immutabilityPolicy", "provisionedBillingModelVersion"],
            AzureDocs + " (storage/account.d.ts)",
            HoldsData: true,
            When: (shape, oldValue, newValue, _) => shape == "accountReplicationType" && IsZoneRedundant(oldValue) != IsZoneRedundant(newValue)
                ? "accountReplicationType forces replacement (between LRS/GRS/RAGRS and ZRS/GZRS/RAGZRS)"
                : null),
        // Deleting a container deletes its blobs: the backups.
        ["azure:storage:Container"] = new(["name", "storageAccountId", "storageAccountName", "defaultEncryptionScope", "encryptionScopeOverrideEnabled"],
            AzureDocs + " (storage/container.d.ts)", HoldsData: true),
        ["azure:storage:ManagementPolicy"] = new(["storageAccountId"], AzureDocs + " (storage/managementPolicy.d.ts)"),
        ["azure:storage:ObjectReplication"] = new(["sourceStorageAccountId", "destinationStorageAccountId"], AzureDocs + " (storage/objectReplication.d.ts)"),

        // --- Generators: any change is a new value. A new password is data lost: the servers still run with the old one.
        ["random:index:RandomPassword"] = new([], "terraform-provider-random: every argument RequiresReplace", HoldsData: true, EveryChangeReplaces: true),
        ["random:index:RandomString"] = new([], "terraform-provider-random: every argument RequiresReplace", EveryChangeReplaces: true),
        ["tls:index:PrivateKey"] = new([], "terraform-provider-tls: every argument RequiresReplace", EveryChangeReplaces: true),
        ["tls:index:SelfSignedCert"] = new([], "terraform-provider-tls: every argument RequiresReplace", EveryChangeReplaces: true),
        ["tls:index:CertRequest"] = new([], "terraform-provider-tls: every argument RequiresReplace", EveryChangeReplaces: true),
        ["tls:index:LocallySignedCert"] = new([], "terraform-provider-tls: every argument RequiresReplace", EveryChangeReplaces: true),
        ["command:local:Command"] = new(["triggers"], "pulumi-command: triggers replace; other changes run the update (or create) command"),
    };

    /// <summary>The types the table knows, for the test that every emitted type is covered.</summary>
    public static IEnumerable<string> KnownTypes => Entries.Keys;

    public static bool IsKnown(string type) => Entries.ContainsKey(type) || type.StartsWith("pulumi:providers:", StringComparison.Ordinal);

    /// <summary>Deleting or replacing a resource of this type loses data (see the entries for why each one does).</summary>
    public static bool HoldsData(string type) => Entries.TryGetValue(type, out var entry) && entry.HoldsData;

    /// <summary>A database host: its replacement rebuilds the host (its data disk is a separate resource).</summary>
    public static bool IsHost(string type) => Entries.TryGetValue(type, out var entry) && entry.IsHost;

    /// <summary>Where the type's rules come from; null for an unknown type.</summary>
    public static string? SourceOf(string type) => Entries.TryGetValue(type, out var entry) ? entry.Source : null;

    /// <summary>
    /// Why changing the property at <paramref name="path"/> (under <c>properties</c>) from <paramref name="oldValue"/> to
    /// <paramref name="newValue"/> (raw scalars; null when absent or not a scalar) replaces a resource of
    /// <paramref name="type"/>, or null when it changes in place. <paramref name="headProperty"/> reads another top-level
    /// scalar property of the new program (for rules that depend on one).
    /// </summary>
    public static string? ReplaceReason(string type, PropertyPath path, string? oldValue, string? newValue, Func<string, string?>? headProperty = null)
    {
        var shape = path.Shape;
        if (type.StartsWith("aws:", StringComparison.Ordinal) && Covers("region", shape))
        {
            return "region forces replacement (pulumi-aws v7)";
        }

        if (!Entries.TryGetValue(type, out var entry))
        {
            return null;
        }

        if (entry.EveryChangeReplaces)
        {
            return $"{shape} forces replacement (a new generated value)";
        }

        var forced = entry.ForceNew.FirstOrDefault(rule => Covers(rule, shape));
        if (forced is not null)
        {
            return $"{shape} forces replacement";
        }

        var shrink = entry.Shrinks?.FirstOrDefault(s => s.Shape == shape);
        if (shrink is not null && Number(oldValue) is { } before && Number(newValue) is { } after && after < before)
        {
            return shrink.Reason;
        }

        return entry.When?.Invoke(shape, oldValue, newValue, headProperty ?? (_ => null));
    }

    // A rule covers a change at its own path, below it (a field of a forced block), or above it (the whole block changes).
    private static bool Covers(string rule, string shape) =>
        rule == shape
        || shape.StartsWith(rule + ".", StringComparison.Ordinal)
        || (shape.Length > 0 && rule.StartsWith(shape + ".", StringComparison.Ordinal));

    private static decimal? Number(string? value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static bool IsZoneRedundant(string? replication) => replication is "ZRS" or "GZRS" or "RAGZRS";
}
