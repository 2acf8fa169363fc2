namespace HaInfra.Operations.Seeding;

/// <summary>Bytes moved so far against an estimate of the total, for progress bars and ETAs.</summary>
public sealed record SeedProgress(string Step, long Bytes, long EstimatedTotal, TimeSpan Elapsed)
{
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / Elapsed.TotalSeconds : 0;

    /// <summary>Null until a second of throughput is known: earlier rates mostly measure process start-up.</summary>
    public TimeSpan? Eta => Elapsed >= TimeSpan.FromSeconds(1) && BytesPerSecond > 0 && EstimatedTotal > Bytes
        ? TimeSpan.FromSeconds((EstimatedTotal - Bytes) / BytesPerSecond)
        : null;

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
