// HaInfra's security rules (aws and azure) as a Pulumi policy pack: `pulumi preview --policy-pack policy` enforces on the deployed
// program the same list that `./hainfra synth` enforces before it prints one (policy/rules.json is that list; the
// C# side is infra/HaInfra.Synthesis/Checks/SecurityPolicy.cs). Every rule of rules.json must have a validator here,
// or the pack refuses to load.
import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure";
import { PolicyPack, PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";

interface Rule {
    id: string;
    resourceType: string;
    title: string;
    fix: string;
    configPath?: string;
}

type Validator = (resources: PolicyResource[], report: (resource: PolicyResource, detail: string) => void) => void;

const databasePort = 3306;
const broadestPublicPrefix = 8;
const privateRanges: Array<[number, number]> = [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16]]
    .map(([address, prefix]) => [ipv4(address as string), prefix as number]);

function ipv4(address: string): number {
    return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** The first source in an ingress rule covering 3306 that is the internet (or a /8-or-broader public range). */
function openTo(rule: Record<string, any>): string | undefined {
    const from = rule.fromPort ?? 0;
    const to = rule.toPort ?? 65535;
    const protocol = String(rule.protocol ?? "-1");
    if (!(protocol === "-1" || (from <= databasePort && databasePort <= to) || (from === 0 && to === 0))) {
        return undefined;
    }
    const cidrs: string[] = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []), ...(rule.cidrIpv4 ? [rule.cidrIpv4] : [])];
    return cidrs.find(cidr => {
        if (cidr === "::/0") {
            return true;
        }
        const [address, prefixText] = cidr.split("/");
        const prefix = Number(prefixText);
        if (!address.includes(".") || prefix > broadestPublicPrefix) {
            return false;
        }
        const start = ipv4(address);
        return !privateRanges.some(([range, rangePrefix]) => prefix >= rangePrefix && Math.floor(start / 2 ** (32 - rangePrefix)) === Math.floor(range / 2 ** (32 - rangePrefix)));
    });
}

function userDataHoldsSecret(userData: unknown): boolean {
    const text = typeof userData === "string" ? userData : "";
    return text.includes("PRIVATE KEY") || /IDENTIFIED BY '[^$']/.test(text);
}

/** The first internet source of an inbound Allow NSG rule covering `port` (public /8-or-broader ranges too, unless `internetOnly`). */
function azureOpenTo(rule: Record<string, any>, port: number, internetOnly = false): string | undefined {
    if (rule.direction !== "Inbound" || rule.access !== "Allow") {
        return undefined;
    }
    const ranges: string[] = [...(rule.destinationPortRanges ?? []), ...(rule.destinationPortRange ? [rule.destinationPortRange] : [])];
    const covers = ranges.some(r => {
        if (r === "*") {
            return true;
        }
        const [from, to] = r.split("-").map(Number);
        return from <= port && port <= (to ?? from);
    });
    if (!covers) {
        return undefined;
    }
    const sources: string[] = [...(rule.sourceAddressPrefixes ?? []), ...(rule.sourceAddressPrefix ? [rule.sourceAddressPrefix] : [])];
    return sources.find(s => ["*", "Internet", "Any", "0.0.0.0/0", "::/0"].includes(s)
        || (!internetOnly && openTo({ protocol: "-1", cidrBlocks: [s] }) !== undefined));
}

function customDataHoldsSecret(customData: unknown): boolean {
    const text = typeof customData === "string" ? Buffer.from(customData, "base64").toString("utf8") : "";
    return userDataHoldsSecret(text);
}

/** Whether `resource`'s `property` input comes from `target` (the policy pack sees references as property dependencies). */
const dependsOn = (resource: PolicyResource, property: string, target: PolicyResource) =>
    (resource.propertyDependencies[property] ?? []).some(d => d.urn === target.urn);

const accountRule = (check: (resources: PolicyResource[], account: PolicyResource) => string | undefined): Validator =>
    (resources, report) => resources.filter(r => r.isType(azure.storage.Account)).forEach(account => {
        const detail = check(resources, account);
        if (detail !== undefined) {
            report(account, detail);
        }
    });

const credentialKey = (key: string) => /password|secret|privatekey|token$/i.test(key);

/** Resources of one class that point at `bucket` through their `bucket` input. */
function attached<T extends aws.s3.BucketOwnershipControls | aws.s3.BucketPolicy | aws.s3.BucketPublicAccessBlock | aws.s3.BucketServerSideEncryptionConfiguration>(
    resources: PolicyResource[], bucket: PolicyResource, type: { new (...rest: any[]): T }): PolicyResource[] {
    return resources.filter(r => r.isType(type) && (r.propertyDependencies["bucket"] ?? []).some(d => d.urn === bucket.urn));
}

function deniesInsecureTransport(policy: unknown): boolean {
    try {
        const document = typeof policy === "string" ? JSON.parse(policy) : policy;
        return (document?.Statement ?? []).some((s: any) =>
            s.Effect === "Deny" && s.Principal === "*" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
    } catch {
        return false;
    }
}

const of = <T>(type: { new (...rest: any[]): T }, check: (props: Record<string, any>) => string | undefined): Validator =>
    (resources, report) => resources.filter(r => r.isType(type as any)).forEach(r => {
        const detail = check(r.props);
        if (detail !== undefined) {
            report(r, detail);
        }
    });

const bucketRule = (check: (resources: PolicyResource[], bucket: PolicyResource) => string | undefined): Validator =>
    (resources, report) => resources.filter(r => r.isType(aws.s3.Bucket)).forEach(bucket => {
        const detail = check(resources, bucket);
        if (detail !== undefined) {
            report(bucket, detail);
        }
    });

const validators: Record<string, Validator> = {
    "no-public-ip": of(aws.ec2.Instance, p => p.associatePublicIpAddress === false ? undefined : "does not set associatePublicIpAddress: false"),
    "imdsv2-required": of(aws.ec2.Instance, p => p.metadataOptions?.httpTokens === "required" ? undefined : "allows IMDSv1"),
    "encrypted-root-volume": of(aws.ec2.Instance, p => p.rootBlockDevice?.encrypted === true ? undefined : "has an unencrypted root volume"),
    "no-inline-ebs": of(aws.ec2.Instance, p => p.ebsBlockDevices === undefined ? undefined : "declares inline ebsBlockDevices"),
    "no-secret-in-user-data": of(aws.ec2.Instance, p => userDataHoldsSecret(p.userData) ? "has a password or a private key in its user data" : undefined),
    "private-subnets": of(aws.ec2.Subnet, p => p.mapPublicIpOnLaunch === false ? undefined : "hands out public IPs"),
    "no-eip-on-hosts": of(aws.ec2.Eip, p => p.instance === undefined && p.networkInterface === undefined ? undefined : "is attached to a host"),
    "encrypted-volumes": of(aws.ebs.Volume, p => p.encrypted === true && p.kmsKeyId !== undefined ? undefined : "is not encrypted with the stack's KMS key"),
    "no-world-3306": (resources, report) => {
        for (const r of resources) {
            const rules: Record<string, any>[] = r.isType(aws.ec2.SecurityGroup) ? r.props.ingress ?? []
                : r.isType(aws.vpc.SecurityGroupIngressRule) || r.isType(aws.ec2.SecurityGroupRule) ? [r.props] : [];
            for (const rule of rules) {
                const cidr = openTo(rule);
                if (cidr !== undefined) {
                    report(r, `allows ${cidr} to port ${databasePort}`);
                }
            }
        }
    },
    "bucket-sse-kms": bucketRule((resources, bucket) => attached(resources, bucket, aws.s3.BucketServerSideEncryptionConfiguration).some(c =>
        (c.props.rules ?? []).some((rule: any) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm === "aws:kms")) ? undefined : "has no SSE-KMS default encryption"),
    "bucket-public-access-block": bucketRule((resources, bucket) => attached(resources, bucket, aws.s3.BucketPublicAccessBlock).some(b =>
        ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every(k => b.props[k] === true)) ? undefined : "does not block all public access"),
    "bucket-owner-enforced": bucketRule((resources, bucket) => attached(resources, bucket, aws.s3.BucketOwnershipControls).some(c =>
        c.props.rule?.objectOwnership === "BucketOwnerEnforced") ? undefined : "allows ACLs"),
    "bucket-tls-only": bucketRule((resources, bucket) => attached(resources, bucket, aws.s3.BucketPolicy).some(p =>
        deniesInsecureTransport(p.props.policy)) ? undefined : "has no policy denying requests without TLS"),
    "azure-no-public-ip": (resources, report) => {
        resources.filter(r => r.isType(azure.network.PublicIp)).forEach(r => report(r, "is a public IP"));
        resources.filter(r => r.isType(azure.network.NetworkInterface)
            && (r.props.ipConfigurations ?? []).some((c: any) => c.publicIpAddressId !== undefined)).forEach(r => report(r, "has a public IP"));
    },
    "azure-nsg-no-world-3306": (resources, report) => {
        for (const r of resources) {
            const rules: Record<string, any>[] = r.isType(azure.network.NetworkSecurityGroup) ? r.props.securityRules ?? []
                : r.isType(azure.network.NetworkSecurityRule) ? [r.props] : [];
            for (const rule of rules) {
                const source = azureOpenTo(rule, databasePort);
                if (source !== undefined) {
                    report(r, `allows ${source} to port ${databasePort}`);
                }
            }
        }
    },
    "azure-nsg-no-internet-ssh": (resources, report) => {
        for (const r of resources) {
            const rules: Record<string, any>[] = r.isType(azure.network.NetworkSecurityGroup) ? r.props.securityRules ?? []
                : r.isType(azure.network.NetworkSecurityRule) ? [r.props] : [];
            for (const rule of rules) {
                const source = azureOpenTo(rule, 22, true);
                if (source !== undefined) {
                    report(r, `allows ${source} to port 22`);
                }
            }
        }
    },
    "azure-vm-zone-pinned": (resources, report) => {
        of(azure.compute.LinuxVirtualMachine, p => p.zone ? undefined : "has no zone")(resources, report);
        of(azure.compute.ManagedDisk, p => p.zone ? undefined : "has no zone")(resources, report);
    },
    "azure-vm-no-password-login": of(azure.compute.LinuxVirtualMachine, p =>
        p.disablePasswordAuthentication === true && p.adminPassword === undefined && (p.adminSshKeys ?? []).length > 0 ? undefined : "allows password login"),
    "azure-vm-encryption-at-host": of(azure.compute.LinuxVirtualMachine, p => p.encryptionAtHostEnabled === true ? undefined : "is not encrypted at host"),
    "azure-no-secret-in-custom-data": of(azure.compute.LinuxVirtualMachine, p =>
        customDataHoldsSecret(p.customData) || customDataHoldsSecret(p.userData) ? "has a password or a private key in its custom data" : undefined),
    "azure-storage-https-tls12": of(azure.storage.Account, p =>
        p.httpsTrafficOnlyEnabled === true && p.minTlsVersion === "TLS1_2" ? undefined : "allows HTTP or TLS older than 1.2"),
    "azure-storage-no-public-blobs": (resources, report) => {
        of(azure.storage.Account, p => p.allowNestedItemsToBePublic === false ? undefined : "allows public blobs")(resources, report);
        of(azure.storage.Container, p => (p.containerAccessType ?? "private") === "private" ? undefined : "is public")(resources, report);
    },
    "azure-storage-no-shared-key": of(azure.storage.Account, p => p.sharedAccessKeyEnabled === false ? undefined : "allows shared-key access"),
    "azure-storage-versioning": of(azure.storage.Account, p => p.blobProperties?.versioningEnabled === true ? undefined : "has no blob versioning"),
    "azure-storage-lifecycle": accountRule((resources, account) => resources.some(r =>
        r.isType(azure.storage.ManagementPolicy) && dependsOn(r, "storageAccountId", account)) ? undefined : "has no lifecycle policy"),
    "azure-storage-archive-redundancy": of(azure.storage.Account, p =>
        ["LRS", "GRS", "RAGRS"].includes(p.accountReplicationType) ? undefined : `uses ${p.accountReplicationType} redundancy, which has no Archive tier`),
    "azure-backup-offsite-replication": (resources, report) => {
        const accounts = resources.filter(r => r.isType(azure.storage.Account));
        const replications = resources.filter(r => r.isType(azure.storage.ObjectReplication));
        if (accounts.length < 2) {
            return;
        }
        accounts.filter(a => !replications.some(r => dependsOn(r, "destinationStorageAccountId", a))
            && !replications.some(r => dependsOn(r, "sourceStorageAccountId", a))).forEach(a => report(a, "is not replicated to the DR account"));
    },
    "azure-metrics-workspace-private-query": of(azure.monitoring.Workspace, p =>
        p.publicNetworkAccessEnabled === false ? undefined : "answers queries from the internet"),
    "azure-metrics-publisher-on-rule-only": (resources, report) => {
        const rules = resources.filter(r => r.isType(azure.monitoring.DataCollectionRule));
        resources.filter(r => r.isType(azure.authorization.Assignment) && r.props.roleDefinitionName === "Monitoring Metrics Publisher"
            && !rules.some(rule => dependsOn(r, "scope", rule))).forEach(r => report(r, `grants Monitoring Metrics Publisher on ${r.props.scope}`));
    },
    "no-literal-credentials": (resources, report) => {
        for (const r of resources) {
            for (const key of Object.keys(r.props).filter(credentialKey)) {
                if (typeof r.props[key] === "string" && (r.propertyDependencies[key] ?? []).length === 0) {
                    report(r, `${key} is literal text`);
                }
            }
        }
    },
};

const rules: Rule[] = JSON.parse(fs.readFileSync(path.join(__dirname, "rules.json"), "utf8")).rules;
const missing = rules.filter(rule => !(rule.id in validators)).map(rule => rule.id);
if (missing.length > 0) {
    throw new Error(`policy/index.ts has no validator for: ${missing.join(", ")}`);
}

const policies: StackValidationPolicy[] = rules.map(rule => ({
    name: rule.id,
    description: rule.title,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation: ReportViolation) => validators[rule.id](args.resources, (resource, detail) =>
        reportViolation(`${resource.name} ${detail}${rule.configPath ? `; set by ${rule.configPath}` : ""}. Fix: ${rule.fix}.`, resource.urn)),
}));

new PolicyPack("hainfra-security", { policies });
