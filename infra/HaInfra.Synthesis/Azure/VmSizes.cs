using HaInfra.Model;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Size classes to current-generation azure VM sizes with exactly the class's vCPUs and memory, the counterparts of
/// the aws instance types (compute-optimized for small, general purpose above). Every size supports premium storage
/// (Premium SSD v2 data disks), encryption at host, availability zones and accelerated networking.
/// </summary>
internal static class VmSizes
{
    public static string For(SizeClass size) => size.Name switch
    {
        "small" => "Standard_F2s_v2",   // 2 vCPU, 4 GiB   (aws c6i.large)
        "medium" => "Standard_D4s_v5",  // 4 vCPU, 16 GiB  (aws m6i.xlarge)
        "large" => "Standard_D8s_v5",   // 8 vCPU, 32 GiB  (aws m6i.2xlarge)
        "xlarge" => "Standard_D16s_v5", // 16 vCPU, 64 GiB (aws m6i.4xlarge)
        _ => throw new ArgumentException($"no azure VM size for size class '{size.Name}'", nameof(size)),
    };
}
