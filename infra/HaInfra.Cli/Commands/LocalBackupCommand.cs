using System.CommandLine;
using HaInfra.Operations;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;
using HaInfra.Operations.Sql;

namespace HaInfra.Cli.Commands;

/// <summary>`local backup run|list|verify|restore|prune`: the backup verbs against the local target's storage.</summary>
public static class LocalBackupCommand
{
    private static readonly string[] Kinds = ["full", "incremental", "logical", "binlog-upload"];

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
            BackupTable.Write(await BackupCatalog.LoadAsync(backups.Storage, ct), DateTimeOffset.UtcNow);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var id = new Argument<string?>("id") { Description = "Backup id (default: the latest)", Arity = ArgumentArity.ZeroOrOne };
        var latest = new Option<bool>("--latest") { Description = "Verify the latest backup" };
        var identity = IdentityOption();
        var command = new Command("verify", "Download, check sha256, decrypt, restore into a scratch server, start it, compare checksums") { id, latest, identity, stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var (backups, work) = BackupsAndWorkDir(parse, stack, stateDir);
            var verifier = new BackupVerifier(backups.Storage, parse.GetValue(identity) ?? backups.Identity(), new MySqlDataConnector(), new ConsoleStepLog());
            var result = await verifier.VerifyAsync(parse.GetValue(latest) ? null : parse.GetValue(id), work, ct);
            Console.Out.WriteLine($"backup {result.Backup.Id} verified in {result.Elapsed.TotalSeconds:0.0} s" +
                (result.HadChecksums ? $": {result.TablesCompared} tables match the checksums taken at backup time." : " (restore only: no checksum reference)."));
            Console.Out.WriteLine(RecoveryTimeCheck.Describe(result.Elapsed, backups.Objectives).Line);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Restore()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var toTime = new Option<string?>("--to-time") { Description = "UTC time, e.g. 2026-11-21T13:00:00Z: transactions committed before it" };
        var toGtid = new Option<string?>("--to-gtid") { Description = "GTID, e.g. 0-602955-120: transactions up to and including it" };
        var into = new Option<string?>("--into") { Description = "Directory for the restored server (default: <state>/restores/<time>)" };
        var keep = new Option<bool>("--keep-running") { Description = "Leave the restored server running (socket only) instead of stopping it" };
        var identity = IdentityOption();
        var command = new Command("restore", "Point-in-time restore into a new local server: the latest backup before the target, then archived binlogs")
        {
            toTime, toGtid, into, keep, identity, stack, stateDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var target = ParseTarget(parse.GetValue(toTime), parse.GetValue(toGtid));
            var (backups, work) = BackupsAndWorkDir(parse, stack, stateDir);
            var dir = parse.GetValue(into) ?? Path.Combine(work, $"restore-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                throw new InvalidInputException($"error: --into {dir}: the directory is not empty. Fix: name a new or empty directory; a restore never overwrites data.");
            }

            var restore = new PointInTimeRestore(backups.Storage, parse.GetValue(identity) ?? backups.Identity(), new MySqlDataConnector(), new ConsoleStepLog());
            var result = await restore.RestoreAsync(target, dir, ct);
            Console.Out.WriteLine(RecoveryTimeCheck.Describe(result.Elapsed, backups.Objectives).Line);
            if (parse.GetValue(keep))
            {
                Console.Out.WriteLine($"restored to {target} at GTID '{result.Position}'; the server runs on {result.Server.Paths.Socket} (stop it with: kill $(cat {result.Server.Paths.PidFile})).");
            }
            else
            {
                await result.Server.DisposeAsync();
                Console.Out.WriteLine($"restored to {target} at GTID '{result.Position}' in {dir}/data (stopped; start it with mariadbd --defaults-file={result.Server.Paths.LocalCnf}).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Prune()
    {
        var stack = CommonOptions.Stack();
        var stateDir = CommonOptions.StateDir();
        var force = new Option<bool>("--force") { Description = "Delete what retention allows (without it, only show it)" };
        var command = new Command("prune", "Delete backups past their retention, never breaking a chain still in retention") { force, stack, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
            var backups = BackupsOf(parse, stack, stateDir);
            await new BackupPruner(backups.Storage, new ConsoleStepLog()).PruneAsync(target.Topology.Backup.Retention, DateTimeOffset.UtcNow, parse.GetValue(force), ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string?> IdentityOption() => new("--identity")
    {
        Description = "age identity file (private key) to decrypt with (default: the local operator's key in the state directory)",
    };

    internal static RestoreTarget ParseTarget(string? time, string? gtid)
    {
        if ((time is null) == (gtid is null))
        {
            throw new InvalidInputException("error: give exactly one of --to-time and --to-gtid. Fix: e.g. --to-time 2026-11-21T13:00:00Z or --to-gtid 0-602955-120.");
        }

        if (time is not null)
        {
            return DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                ? new RestoreTarget(t.ToUniversalTime(), null)
                : throw new InvalidInputException($"error: --to-time = '{time}': not a time. Fix: write an ISO-8601 UTC time such as 2026-11-21T13:00:00Z.");
        }

        return HaInfra.Model.Gtids.Gtid.TryParse(gtid, out var g)
            ? new RestoreTarget(null, g)
            : throw new InvalidInputException($"error: --to-gtid = '{gtid}': not a GTID. Fix: write domain-server-sequence, e.g. 0-602955-120.");
    }

    internal static LocalBackups BackupsOf(ParseResult parse, Option<string> stack, Option<string?> stateDir) =>
        BackupsAndWorkDir(parse, stack, stateDir).Backups;

    /// <summary>The stack's local backups, and where restores and verifications work (the state directory's restores/).</summary>
    private static (LocalBackups Backups, string WorkDir) BackupsAndWorkDir(ParseResult parse, Option<string> stack, Option<string?> stateDir)
    {
        var target = LocalCommand.Target(parse, stack, stateDir, new ConsoleStepLog());
        var backups = target.Backups() ?? throw new OperationFailedException(
            $"stack '{parse.GetValue(stack)}' is not realized here ({target.Paths.Root}).", $"run ./hainfra local up --stack {parse.GetValue(stack)} first.");
        return (backups, Path.Combine(target.Paths.Root, "restores"));
    }
}
