using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Operations.Local;

namespace HaInfra.IntegrationTests;

/// <summary>The local stack with its backup policy on: a local S3 server (s3rver), the agent on db2, the binlog archive.</summary>
public sealed class BackedUpLocalServers() : LocalStackFixture("local")
{
    /// <summary>A public key nobody in the tests holds: backups must still be readable with the local operator's identity.</summary>
    public const string ForeignRecipient = "age1v0us52fhz5t9ju38ngy2xrg2swnl9t8dvxypxuw2shhar9gcj3qslucf0y";

    public LocalBackups Backups => Target.Backups()!;

    /// <summary>A full backup every ten seconds; the incremental and logical ones weekly.</summary>
    public static readonly BackupSchedules EveryTenSeconds = new("*-*-* *:*:00/10", "Sat *-*-* 03:00:00", "Sat *-*-* 04:00:00");

    protected override Topology Adjust(Topology topology) => WithBackups(topology);

    /// <summary>Backups on into the local S3 server, encrypted to <see cref="ForeignRecipient"/>, on the stack's or the given schedules.</summary>
    public static Topology WithBackups(Topology topology, BackupSchedules? schedules = null) => topology with
    {
        Backup = topology.Backup with
        {
            Enabled = true, Destination = BackupDestination.S3, Recipients = [ForeignRecipient], Schedules = schedules ?? topology.Backup.Schedules,
        },
    };
}

/// <summary>Backups on, with a full backup every ten seconds and the scheduler running (as `local up` from the CLI starts it).</summary>
public sealed class ScheduledBackupServers() : LocalStackFixture("local")
{
    protected override AgentCommand? Agent =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "hainfra.dll"), "local", "agent"]);

    protected override Topology Adjust(Topology topology) => BackedUpLocalServers.WithBackups(topology, BackedUpLocalServers.EveryTenSeconds);
}
