using System.Globalization;
using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>
/// Rules on a host's data-volume performance, by the limits of the volume type the cloud program creates: on aws a
/// gp3 volume (3,000-16,000 IOPS, at most 500 per GiB; 125-1,000 MiB/s, at most 0.25 MiB/s per IOPS).
/// </summary>
internal static class DiskRules
{
    public const int MinIops = 3000;
    public const int MaxIops = 16000;
    public const int MaxIopsPerGb = 500;
    public const int MinThroughputMbps = 125;
    public const int MaxThroughputMbps = 1000;

    /// <summary>gp3 allows 0.25 MiB/s per provisioned IOPS: throughput at most IOPS / 4.</summary>
    public const int IopsPerMbps = 4;

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        // Azure's disks have other limits; they are checked with the azure program.
        if (!Spellings.Cloud.TryParse(dto.Cloud, out var cloud) || cloud != CloudKind.Aws)
        {
            return;
        }

        foreach (var host in (dto.Sites ?? []).SelectMany(s => s.Hosts ?? []))
        {
            var iops = host.DataDiskIops ?? DiskPerformance.Baseline.Iops;
            var throughput = host.DataDiskThroughputMbps ?? DiskPerformance.Baseline.ThroughputMbps;
            var iopsOk = InRange(host.DataDiskIops, $"{host.Path}.dataDiskIops", MinIops, MaxIops, "IOPS (gp3)", ctx);
            var throughputOk = InRange(host.DataDiskThroughputMbps, $"{host.Path}.dataDiskThroughputMbps", MinThroughputMbps, MaxThroughputMbps, "MiB/s (gp3)", ctx);
            if (iopsOk && host.DataDiskGb is { } gb and >= HostRules.MinDataDiskGb and <= HostRules.MaxDataDiskGb && iops > MaxIopsPerGb * gb)
            {
                ctx.Add($"{host.Path}.dataDiskIops", Text(iops), $"gp3 allows at most {MaxIopsPerGb} IOPS per GiB: {gb} GiB allows {MaxIopsPerGb * gb}.",
                    $"raise dataDiskGb to at least {(iops + MaxIopsPerGb - 1) / MaxIopsPerGb}, or lower dataDiskIops.");
            }

            if (iopsOk && throughputOk && throughput * IopsPerMbps > iops)
            {
                ctx.Add($"{host.Path}.dataDiskThroughputMbps", Text(throughput), $"gp3 allows at most 0.25 MiB/s per provisioned IOPS: {iops} IOPS allow {iops / IopsPerMbps} MiB/s.",
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

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
