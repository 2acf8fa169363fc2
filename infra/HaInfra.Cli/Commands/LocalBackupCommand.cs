using System.CommandLine;
using HaInfra.Model.Backups;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;

namespace HaInfra.Cli.Commands;

/// <summary>`local backup run|list|verify|restore|prune`: the backup verbs against the local target's storage.</summary>
public static class LocalBackupCommand
{
    private static readonly string[] Kinds = [.. BackupSpellings.Scheduled.Select(BackupSpellings.Kind.Of), "binlog-upload"];

    public static Command Create()
    {
        var command = new Command("backup", "Backups of the local target: run one, list, verify by restoring, restore to a point in time, prune");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Restore());
        command.Subcommands.Add(Prune());
        return command;
    }

    private static Command Run()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var kind = new Argument<string>("kind") { Description = "full, incremental, logical, or binlog-upload (upload closed binlog segments now)" };
        kind.AcceptOnlyFromAmong(Kinds);
        var command = new Command("run", "Run one backup now on the backup host, as its timer would") { kind, stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var backups = BackupsOf(parse, stack, stateDir);
            var dir = await backups.RunAsync(parse.GetValue(kind)!, ct);
            Console.Out.WriteLine(parse.GetValue(kind) == "binlog-upload"
                ? $"closed binlog segments of {backups.BackupHost.Name}'s archive uploaded."
                : $"{parse.GetValue(kind)} backup of {backups.BackupHost.Name} stored: {dir}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var command = new Command("list", "List backups and the binlog archive from their manifests") { stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var backups = BackupsOf(parse, stack, stateDir);
            var primary = await LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog()).PrimaryPositionAsync(ct);
            return await BackupVerbs.ListAsync(backups.Storage, ct, primary);
        });
        return command;
    }

    private static Command Verify()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var id = new Argument<string?>("id") { Description = "Backup id (default: the latest)", Arity = ArgumentArity.ZeroOrOne };
        var latest = new Option<bool>("--latest") { Description = "Verify the latest backup" };
        var identity = LocalIdentity();
        var allow = BackupVerbs.AllowUnverified();
        var command = new Command("verify", "Download, check sha256, decrypt, restore into a scratch server, start it, compare checksums") { id, latest, identity, allow, stack, stateDir };
        command.SetAction((parse, ct) =>
        {
            var (backups, work) = BackupsAndWorkDir(parse, stack, stateDir);
            return BackupVerbs.VerifyAsync(backups.Storage, parse.GetValue(identity) ?? backups.Identity(), backups.Objectives,
                parse.GetValue(latest) ? null : parse.GetValue(id), work, parse.GetValue(allow), ct);
        });
        return command;
    }

    private static Command Restore()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var toTime = BackupVerbs.ToTime();
        var toGtid = BackupVerbs.ToGtid();
        var into = new Option<string?>("--into") { Description = "Directory for the restored server (default: <state>/restores/<time>)" };
        var keep = BackupVerbs.KeepRunning();
        var identity = LocalIdentity();
        var command = new Command("restore", "Point-in-time restore into a new local server: the latest backup before the target, then archived binlogs")
        {
            toTime, toGtid, into, keep, identity, stack, stateDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = BackupVerbs.ParseTarget(parse.GetValue(toTime), parse.GetValue(toGtid));
            var (backups, work) = BackupsAndWorkDir(parse, stack, stateDir);
            await InterruptedRestores.StopAsync(work, new ConsoleStepLog(), ct);
            // Milliseconds: a restore run again right after a killed one gets a directory of its own.
            var dir = parse.GetValue(into) ?? Path.Combine(work, $"{InterruptedRestores.Prefix}{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfffZ}");
            return await BackupVerbs.RestoreAsync(backups.Storage, parse.GetValue(identity) ?? backups.Identity(), backups.Objectives, target, dir, parse.GetValue(keep), ct);
        });
        return command;
    }

    private static Command Prune()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var force = BackupVerbs.Force();
        var command = new Command("prune", "Delete backups past their retention, never breaking a chain still in retention") { force, stack, stateDir };
        command.SetAction((parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            return BackupVerbs.PruneAsync(BackupsOf(parse, stack, stateDir).Storage, target.Topology.Backup.Retention, parse.GetValue(force), ct);
        });
        return command;
    }

    private static Option<string?> LocalIdentity()
    {
        var identity = BackupVerbs.Identity();
        identity.Description += " (default: the local operator's key in the state directory)";
        return identity;
    }

    internal static LocalBackups BackupsOf(ParseResult parse, Option<string> stack, Option<string?> stateDir) =>
        BackupsAndWorkDir(parse, stack, stateDir).Backups;

    /// <summary>The stack's local backups, and where restores and verifications work (the state directory's restores/).</summary>
    private static (LocalBackups Backups, string WorkDir) BackupsAndWorkDir(ParseResult parse, Option<string> stack, Option<string?> stateDir)
    {
        var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
        if (!target.Configured.Backup.Enabled)
        {
            // A verb of a feature the stack turned off is a mistake in the input, not a failed backup (no exit 127 from a missing agent).
            throw new InvalidInputException(
                $"error: local backup: hainfra:backup.enabled = false in stack '{target.Configured.Stack}': it takes no backups. " +
                $"Fix: set hainfra:backup.enabled: true with recipients (age public keys) in its stack file, then run ./hainfra local up --stack {target.Configured.Stack}.");
        }

        var backups = target.Backups() ?? throw new OperationFailedException(
            $"stack '{parse.GetValue(stack)}' is not realized here ({target.Paths.Root}).", $"run ./hainfra local up --stack {parse.GetValue(stack)} first.");
        return (backups, Path.Combine(target.Paths.Root, "restores"));
    }
}
