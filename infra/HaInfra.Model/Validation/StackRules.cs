using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules on stack-wide settings: cloud, server flavour and version, replication tuning, local target.</summary>
internal static class StackRules
{
    public const int MinSemiSyncTimeoutMs = 100;
    public const int MaxSemiSyncTimeoutMs = 3_600_000;
    public const int MaxParallelWorkers = 256;

    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        ctx.Parse(dto.Cloud, ConfigKeys.Cloud, Spellings.Cloud, "cloud");
        CheckServer(dto, ctx);

        var replication = dto.Replication;
        var prefix = ConfigKeys.Replication;
        ctx.Parse(replication?.Method, $"{prefix}.method", Spellings.Method, "replication method", ReplicationMethod.PrimaryReplica);
        ctx.Parse(replication?.WaitPoint, $"{prefix}.semiSyncWaitPoint", Spellings.WaitPoint, "semi-sync wait point", SemiSyncWaitPoint.AfterSync);
        ctx.Parse(replication?.SeedMethod, $"{prefix}.seedMethod", Spellings.SeedMethod, "seed method", SeedMethod.Physical);
        ctx.InRange(replication?.SemiSyncTimeoutMs, $"{prefix}.semiSyncTimeoutMs", MinSemiSyncTimeoutMs, MaxSemiSyncTimeoutMs, "milliseconds");
        ctx.InRange(replication?.ParallelWorkers, $"{prefix}.parallelWorkers", 0, MaxParallelWorkers, "worker threads");

        ctx.InRange(dto.Local?.BasePort, $"{ConfigKeys.Local}.basePort", 1024, 60000, "(TCP port)");
        ctx.InRange(dto.Local?.BufferPoolMb, $"{ConfigKeys.Local}.bufferPoolMb", 16, 65536, "MiB");
    }

    private static void CheckServer(TopologyDto dto, ValidationContext ctx)
    {
        var flavor = ctx.Parse(dto.Flavor, ConfigKeys.Flavor, Spellings.Flavor, "server flavour", ServerFlavor.MariaDb);
        if (flavor == ServerFlavor.MySql)
        {
            // The my.cnf template and the SQL dialect table know MySQL, but nothing realizes it end to end yet: the
            // local target runs Debian's MariaDB (Debian ships no MySQL server), the aws program installs Debian 12's
            // MariaDB 10.11, and bootstrap, switchover and failover drive MariaDB GTID replication.
            ctx.Add(ConfigKeys.Flavor, dto.Flavor!, "is not realized yet: HaInfra installs, bootstraps and fails over MariaDB only (locally and on aws).",
                "use flavor: mariadb (or leave the key out); MySQL support is planned, not available.");
        }

        if (dto.Version is null || flavor is not { } f)
        {
            return;
        }

        if (!ServerVersion.TryParse(dto.Version, out var version))
        {
            ctx.Add(ConfigKeys.Version, dto.Version, "is not a server version.", $"write a version such as {SupportedServers.Default(f)} (supported: {SupportedServers.Choices(f)}).");
        }
        else if (!SupportedServers.IsSupported(f, version))
        {
            ctx.Add(ConfigKeys.Version, dto.Version, $"is not a supported {Spellings.Flavor.Of(f)} version.", $"use one of: {SupportedServers.Choices(f)}.");
        }
        else if (SupportedServers.MinimumPatch(f, version) is { } minimum && version < minimum)
        {
            ctx.Add(ConfigKeys.Version, dto.Version, $"is older than {minimum}, the first release with the options the rendered my.cnf uses.",
                $"use {minimum} or later, or just {version.Series} for the series' current release.");
        }
    }
}
