using HaInfra.Model;

namespace HaInfra.Synthesis.Aws;

/// <summary>Size classes to current-generation Nitro instance types with exactly the class's vCPUs and memory.</summary>
internal static class InstanceTypes
{
    public static string For(SizeClass size) => size.Name switch
    {
        "small" => "c6i.large",     // 2 vCPU, 4 GiB
        "medium" => "m6i.xlarge",   // 4 vCPU, 16 GiB
        "large" => "m6i.2xlarge",   // 8 vCPU, 32 GiB
        "xlarge" => "m6i.4xlarge",  // 16 vCPU, 64 GiB
        _ => throw new ArgumentException($"no aws instance type for size class '{size.Name}'", nameof(size)),
    };

    /// <summary>
    /// Burstable types (the t family: t3.large, t4g.medium, …) run on CPU credits, which CloudWatch reports. None of
    /// the size classes maps to one today; a size that does gets the CPU credit alarm.
    /// </summary>
    public static bool IsBurstable(string instanceType) =>
        instanceType.Length > 1 && instanceType[0] == 't' && char.IsAsciiDigit(instanceType[1]);
}
