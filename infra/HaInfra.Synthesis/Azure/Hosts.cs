using HaInfra.Model;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Per host: a user-assigned managed identity, a NIC in its site's subnet (private IP only), a Premium SSD v2 data
/// disk in the host's zone (size, IOPS and throughput from the stack; its baseline, 3,000 IOPS and 125 MB/s, is the
/// gp3 baseline), the Linux VM in the same zone (Debian 12, size from the size class, password login off, encryption
/// at host, custom data from templates/cloud-init/) and the attachment at a fixed LUN, by which the host finds the disk.
/// </summary>
internal static class Hosts
{
    public const int DataDiskLun = 0;
    public const int OsDiskGb = 30;
    public const string AdminUser = "hainfra";

    public static void Add(AzureContext ctx)
    {
        foreach (var site in ctx.Topology.Sites)
        {
            foreach (var host in site.Hosts)
            {
                AddHost(ctx, site, host);
            }
        }
    }

    private static void AddHost(AzureContext ctx, Site site, Host host)
    {
        var region = site.Region;
        var name = $"hainfra-{ctx.Stack}-{host.Name}";
        var privateDns = $"{host.Name}.{ctx.Topology.Network.DnsZone}";
        var tags = ctx.Tags(("site", site.Name), ("role", Spellings.Role.Of(host.Role)), ("host", host.Name));
        var identity = ctx.Graph.Add(AzureNames.Host(host.Name, "identity"), "azure:authorization:UserAssignedIdentity", P.Map([
            ("name", name),
            .. ctx.In(region),
            ("tags", tags)]), ctx.Via());
        var tls = Secrets.ForHost(ctx, host, privateDns);
        Secrets.Grant(ctx, host, identity, [ctx.Vault.AdminPassword, .. tls?.Secrets ?? []]);
        Secrets.GrantGaleraBootstrap(ctx, host, identity);
        Metrics.Grant(ctx, host, identity);

        var nic = ctx.Graph.Add(AzureNames.Host(host.Name, "nic"), "azure:network:NetworkInterface", P.Map([
            ("name", name),
            .. ctx.In(region),
            ("acceleratedNetworkingEnabled", true),
            ("ipConfigurations", P.List(P.Map(
                ("name", "primary"),
                ("primary", true),
                ("subnetId", ctx.Regions[region].Subnets[site.Name]["id"]),
                ("privateIpAddressAllocation", "Dynamic")))),
            ("tags", tags)]), ctx.Via());

        var disk = ctx.Graph.Add(AzureNames.Host(host.Name, "data"), "azure:compute:ManagedDisk", P.Map([
            ("name", $"{name}-data"),
            .. ctx.In(region),
            ("zone", host.Zone),
            ("storageAccountType", "PremiumV2_LRS"),
            ("createOption", "Empty"),
            ("diskSizeGb", host.DataDiskGb),
            ("diskIopsReadWrite", host.DataDisk.Iops),
            ("diskMbpsReadWrite", host.DataDisk.ThroughputMbps),
            ("publicNetworkAccessEnabled", false),
            ("networkAccessPolicy", "DenyAll"),
            ("tags", tags)]), ctx.Via());

        var inputs = new CloudInitInputs(region, $"{name}-data", Secrets.AdminPasswordSecret, tls?.Names, Metrics.ForHosts(ctx),
            new AzureHostAccess(DataDiskLun, ctx.Vault.KeyVault["name"].ToString(), identity["clientId"].ToString()), Secrets.GaleraStartOf(ctx, host));
        var customData = CloudInitRenderer.Render(ctx.Renderer, ctx.Topology, host, inputs).Text;
        var vm = ctx.Graph.Add(AzureNames.Host(host.Name, "vm"), "azure:compute:LinuxVirtualMachine", P.Map([
            ("name", name),
            ("computerName", host.Name),
            .. ctx.In(region),
            ("zone", host.Zone),
            ("size", VmSizes.For(host.Size)),
            ("networkInterfaceIds", P.List(nic["id"])),
            ("adminUsername", AdminUser),
            ("disablePasswordAuthentication", true),
            ("adminSshKeys", P.List(P.Map(("username", AdminUser), ("publicKey", ctx.Topology.Network.AdminSshPublicKey ?? "")))),
            ("identity", P.Map(("type", "UserAssigned"), ("identityIds", P.List(identity["id"])))),
            ("encryptionAtHostEnabled", true),
            ("osDisk", P.Map(("caching", "ReadWrite"), ("storageAccountType", "Premium_LRS"), ("diskSizeGb", OsDiskGb))),
            ("sourceImageReference", P.Map(("publisher", "Debian"), ("offer", "debian-12"), ("sku", "12-gen2"), ("version", "latest"))),
            // Managed boot diagnostics: the serial console, the operators' way in without SSH from the internet.
            ("bootDiagnostics", PMap.Empty),
            ("customData", new PFunction("toBase64", P.Splice(customData, [identity["clientId"], ctx.Vault.KeyVault["name"], .. Metrics.References(ctx)]))),
            ("tags", tags)]),
            // A newer Debian image must not replace a database host, and custom data runs at first boot only (later
            // my.cnf changes are pushed to running hosts, never applied by recreating them).
            ctx.Via(("ignoreChanges", P.Texts(["sourceImageReference", "customData"]))));

        var attachment = ctx.Graph.Add(AzureNames.Host(host.Name, "data-attachment"), "azure:compute:DataDiskAttachment", P.Map(
            ("managedDiskId", disk["id"]),
            ("virtualMachineId", vm["id"]),
            ("lun", DataDiskLun),
            // Premium SSD v2 supports no host caching; MariaDB has its own buffer pool.
            ("caching", "None")), ctx.Via());
        ctx.Hosts[host.Name] = new AzureHost(vm, identity, disk, attachment, privateDns);
    }
}
