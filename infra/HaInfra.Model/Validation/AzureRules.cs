using System.Globalization;
using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>
/// Rules that hold only for stacks on azure: the VM administrator's SSH public key (password login is off), regions
/// that have availability zones (every VM and disk is pinned to one), and the limits of the Premium SSD v2 data disk
/// the azure program creates (3,000-80,000 IOPS, at most 500 per GiB; 125-1,200 MB/s, at most 0.25 MB/s per IOPS).
/// </summary>
internal static class AzureRules
{
    public const int MinIops = 3000;
    public const int MaxIops = 80000;
    public const int MaxIopsPerGb = 500;
    public const int MinThroughputMbps = 125;
    public const int MaxThroughputMbps = 1200;

    /// <summary>Premium SSD v2 allows 0.25 MB/s per provisioned IOPS: throughput at most IOPS / 4.</summary>
    public const int IopsPerMbps = 4;

    /// <summary>Azure regions without availability zones (when this list was written); zones are required here.</summary>
    private static readonly string[] RegionsWithoutZones =
        ["westus", "northcentralus", "westcentralus", "canadaeast", "ukwest", "southindia", "westindia", "australiasoutheast", "koreasouth"];

    private const string KeyPath = $"{ConfigKeys.Network}.adminSshPublicKey";

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        if (!Spellings.Cloud.TryParse(dto.Cloud, out var cloud))
        {
            return;
        }

        var key = dto.Network?.AdminSshPublicKey;
        if (cloud != CloudKind.Azure)
        {
            if (key is not null && cloud == CloudKind.Aws)
            {
                ctx.Add(KeyPath, Abbreviate(key), "is used only on azure: aws hosts have no SSH access (operators use SSM Session Manager).",
                    "remove hainfra:network.adminSshPublicKey from this aws stack.");
            }

            return;
        }

        CheckSshKey(key, ctx);
        foreach (var site in dto.Sites ?? [])
        {
            if (site.Region is { } region && RegionsWithoutZones.Contains(region, StringComparer.Ordinal))
            {
                ctx.Add($"{site.Path}.region", region, "is an azure region without availability zones; HaInfra pins every VM and data disk to a zone.",
                    "use a region with zones (e.g. westus2 or westus3 instead of westus, uksouth instead of ukwest).");
            }
        }

        CheckDisks(dto, ctx);
    }

    private static void CheckSshKey(string? key, ValidationContext ctx)
    {
        const string Fix = "run `pulumi config set --path hainfra:network.adminSshPublicKey \"$(cat ~/.ssh/id_ed25519.pub)\"` (an ssh-ed25519 or ssh-rsa public key; password login is off on azure VMs).";
        if (key is null)
        {
            ctx.Missing(KeyPath, "the VM administrator's SSH public key", Fix);
            return;
        }

        if (key.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            ctx.Add(KeyPath, "(a private key, not shown)", "is a private key; it must never be in the stack.", "delete it from the stack file now and give the public key (the .pub file). " + Fix);
            return;
        }

        var parts = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] is not ("ssh-ed25519" or "ssh-rsa") || !IsBase64(parts[1]))
        {
            ctx.Add(KeyPath, Abbreviate(key), "is not an OpenSSH public key line (ssh-ed25519 AAAA… or ssh-rsa AAAA…).", Fix);
        }
    }

    private static void CheckDisks(TopologyDto dto, ValidationContext ctx)
    {
        foreach (var host in (dto.Sites ?? []).SelectMany(s => s.Hosts ?? []))
        {
            var iops = host.DataDiskIops ?? DiskPerformance.Baseline.Iops;
            var throughput = host.DataDiskThroughputMbps ?? DiskPerformance.Baseline.ThroughputMbps;
            var iopsOk = InRange(host.DataDiskIops, $"{host.Path}.dataDiskIops", MinIops, MaxIops, "IOPS (Premium SSD v2)", ctx);
            var throughputOk = InRange(host.DataDiskThroughputMbps, $"{host.Path}.dataDiskThroughputMbps", MinThroughputMbps, MaxThroughputMbps, "MB/s (Premium SSD v2)", ctx);
            if (iopsOk && host.DataDiskGb is { } gb and >= HostRules.MinDataDiskGb and <= HostRules.MaxDataDiskGb && iops > Math.Max(MinIops, MaxIopsPerGb * gb))
            {
                ctx.Add($"{host.Path}.dataDiskIops", Text(iops), $"Premium SSD v2 allows at most {MaxIopsPerGb} IOPS per GiB: {gb} GiB allows {MaxIopsPerGb * gb}.",
                    $"raise dataDiskGb to at least {(iops + MaxIopsPerGb - 1) / MaxIopsPerGb}, or lower dataDiskIops.");
            }

            if (iopsOk && throughputOk && throughput * IopsPerMbps > iops)
            {
                ctx.Add($"{host.Path}.dataDiskThroughputMbps", Text(throughput), $"Premium SSD v2 allows at most 0.25 MB/s per provisioned IOPS: {iops} IOPS allow {iops / IopsPerMbps} MB/s.",
                    $"raise dataDiskIops to at least {throughput * IopsPerMbps}, or lower dataDiskThroughputMbps.");
            }
        }
    }

    private static bool InRange(int? value, string path, int min, int max, string unit, ValidationContext ctx)
    {
        var before = ctx.Errors.Count;
        ctx.InRange(value, path, min, max, unit);
        return ctx.Errors.Count == before;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return text.StartsWith("AAAA", StringComparison.Ordinal) && Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string Abbreviate(string key) => key.Length <= 40 ? key : string.Concat(key.AsSpan(0, 37), "...");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
