using System.CommandLine;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Backups;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `backup list|verify|restore|prune` for a cloud stack, from an operator's machine: the bucket comes from the stack's
/// outputs document, credentials from the operator's environment, and restores run into a local scratch server.
/// Backups themselves are taken on the database hosts by their agent's timers.
/// </summary>
public static class BackupCommand
{
    public static Command Create()
    {
        var command = new Command("backup", "Backups of a cloud stack (aws or azure), read from its bucket or container with your credentials: list, verify by restoring, restore to a point in time, prune");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Restore());
        command.Subcommands.Add(Prune());
        return command;
    }

    private sealed record Common(Option<string> Stack, Option<string> Outputs, Option<bool> Offsite)
    {
        public static Common Create() => new(
            CommonOptions.Stack(),
            new Option<string>("--outputs", "-o") { Description = "The stack's outputs document (`pulumi stack output --json`), or - for stdin", Required = true },
            new Option<bool>("--offsite") { Description = "Read the DR region's offsite copy instead of the primary region's bucket" });

        public void AddTo(Command command)
        {
            command.Options.Add(Stack);
            command.Options.Add(Outputs);
            command.Options.Add(Offsite);
        }

        public async Task<(Topology Topology, Rclone Storage)> ResolveAsync(ParseResult parse, CancellationToken ct)
        {
            var topology = Workspace.Find(parse.GetValue(CommonOptions.StacksDir)).LoadStack(parse.GetValue(Stack)!);
            var path = parse.GetValue(Outputs)!;
            var json = path == "-" ? await Console.In.ReadToEndAsync(ct) : ReadFile(path);
            var (storage, problems) = CloudBackupStorage.Resolve(topology, json, path == "-" ? "stdin" : path, parse.GetValue(Offsite),
                Environment.GetEnvironmentVariable(CloudBackupStorage.EndpointVariable) is { Length: > 0 } endpoint ? endpoint : null,
                Environment.GetEnvironmentVariable(CloudBackupStorage.AzureEndpointVariable) is { Length: > 0 } blob ? blob : null);
            return problems.Count > 0
                ? throw new InvalidInputException($"error: {problems.Count} problem(s); nothing was read or changed:\n  - {string.Join("\n  - ", problems)}")
                : (topology, new Rclone(storage!));
        }

        private static string ReadFile(string path) => File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidInputException($"error: --outputs {path}: no such file. Fix: write it with `pulumi stack output --json --show-secrets=false > {path}`, or pass - and pipe it in.");
    }

    private static Command List()
    {
        var common = Common.Create();
        var command = new Command("list", "List backups and the binlog archive from their manifests");
        common.AddTo(command);
        command.SetAction(async (parse, ct) => await BackupVerbs.ListAsync((await common.ResolveAsync(parse, ct)).Storage, ct));
        return command;
    }

    private static Command Verify()
    {
        var common = Common.Create();
        var id = new Argument<string?>("id") { Description = "Backup id (default: the latest)", Arity = ArgumentArity.ZeroOrOne };
        var latest = new Option<bool>("--latest") { Description = "Verify the latest backup" };
        var identity = RequiredIdentity();
        var work = new Option<string?>("--work-dir") { Description = "Where the scratch server runs (default: a new directory under the system temp dir)" };
        var allow = BackupVerbs.AllowUnverified();
        var command = new Command("verify", "Download, check sha256, decrypt, restore into a local scratch server, start it, compare checksums") { id, latest, identity, work, allow };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (topology, storage) = await common.ResolveAsync(parse, ct);
            var dir = parse.GetValue(work) ?? Directory.CreateTempSubdirectory("hainfra-verify-").FullName;
            return await BackupVerbs.VerifyAsync(storage, parse.GetValue(identity)!, topology.Backup.Objectives, parse.GetValue(latest) ? null : parse.GetValue(id), dir, parse.GetValue(allow), ct);
        });
        return command;
    }

    private static Command Restore()
    {
        var common = Common.Create();
        var toTime = BackupVerbs.ToTime();
        var toGtid = BackupVerbs.ToGtid();
        var into = new Option<string>("--into") { Description = "New or empty directory for the restored server", Required = true };
        var keep = BackupVerbs.KeepRunning();
        var identity = RequiredIdentity();
        var command = new Command("restore", "Point-in-time restore into a new server on this machine: the latest backup before the target, then archived binlogs")
        {
            toTime, toGtid, into, keep, identity,
        };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var target = BackupVerbs.ParseTarget(parse.GetValue(toTime), parse.GetValue(toGtid));
            var (topology, storage) = await common.ResolveAsync(parse, ct);
            return await BackupVerbs.RestoreAsync(storage, parse.GetValue(identity)!, topology.Backup.Objectives, target, Path.GetFullPath(parse.GetValue(into)!), parse.GetValue(keep), ct);
        });
        return command;
    }

    private static Command Prune()
    {
        var common = Common.Create();
        var force = BackupVerbs.Force();
        var command = new Command("prune", "Delete backups past their retention where lifecycle rules cannot, never breaking a chain still in retention") { force };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (topology, storage) = await common.ResolveAsync(parse, ct);
            return await BackupVerbs.PruneAsync(storage, topology.Backup.Retention, parse.GetValue(force), ct);
        });
        return command;
    }

    private static Option<string?> RequiredIdentity()
    {
        var identity = BackupVerbs.Identity();
        identity.Required = true;
        identity.Description += " (an operator's key: database hosts hold only the public keys)";
        return identity;
    }
}
