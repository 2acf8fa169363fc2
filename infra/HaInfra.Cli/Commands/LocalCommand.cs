using System.CommandLine;
using HaInfra.Model;
using HaInfra.Operations;
using HaInfra.Operations.Local;
using HaInfra.Operations.Sql;

namespace HaInfra.Cli.Commands;

/// <summary>`local up|plan|status|down`: the stack realized as real MariaDB servers on 127.0.0.1.</summary>
public static class LocalCommand
{
    public static Command Create()
    {
        var command = new Command("local", "Realize a stack on this machine: one MariaDB server per host on 127.0.0.1");
        command.Subcommands.Add(LocalUpCommand.Create());
        command.Subcommands.Add(LocalPlanCommand.Create());
        command.Subcommands.Add(LocalStatusCommand.Create());
        command.Subcommands.Add(LocalAlertsCommand.Create());
        command.Subcommands.Add(LocalDownCommand.Create());
        command.Subcommands.Add(LocalReseedCommand.Create());
        command.Subcommands.Add(LocalSwitchoverCommand.Create());
        command.Subcommands.Add(LocalFailoverCommand.Create());
        command.Subcommands.Add(LocalMonitorCommand.Create());
        command.Subcommands.Add(LocalRejoinCommand.Create());
        command.Subcommands.Add(LocalFollowNodeCommand.Create());
        command.Subcommands.Add(LocalLoadCommand.Create());
        command.Subcommands.Add(LocalNetCommand.Cut());
        command.Subcommands.Add(LocalNetCommand.Heal());
        command.Subcommands.Add(LocalBackupCommand.Create());
        command.Subcommands.Add(LocalDrCommand.Create());
        command.Subcommands.Add(LocalAgentCommand.Create());
        return command;
    }

    /// <summary>Builds the target for a parsed verb: workspace, validated stack, state directory.</summary>
    internal static Option<string?> SeedMethodOption() => new("--seed-method")
    {
        Description = "How new replicas get their data: physical (mariabackup stream) or logical (mariadb-dump); default from the stack",
    };

    internal static Option<int?> DeadlineOption() => new("--deadline")
    {
        Description = "One overall deadline in seconds for the whole role change, rollback included (default: hainfra:failover.deadlineSeconds, 30)",
    };

    internal static TimeSpan? ParseDeadline(int? seconds) => seconds switch
    {
        null => null,
        >= 2 and <= 3600 => TimeSpan.FromSeconds(seconds.Value),
        _ => throw new InvalidInputException($"error: --deadline = {seconds}: out of range. Fix: give 2 to 3600 seconds."),
    };

    /// <summary>A host named on the command line must be a host of the stack: otherwise exit 2, naming the stack's hosts.</summary>
    internal static string? RequireHost(Topology topology, string? name, string argument)
    {
        if (name is null || topology.Hosts.Any(h => h.Name == name))
        {
            return name;
        }

        throw new InvalidInputException(
            $"error: {argument} {name}: stack '{topology.Stack}' has no host '{name}'. Fix: use one of {string.Join(", ", topology.Hosts.Select(h => h.Name))}.");
    }

    /// <summary>Null when not given; bad values are usage errors (exit 2).</summary>
    internal static SeedMethod? ParseSeedMethod(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Spellings.SeedMethod.TryParse(text, out var method)
            ? method
            : throw new InvalidInputException($"error: --seed-method = '{text}': not a seed method. Fix: use one of: {Spellings.SeedMethod.Choices}.");
    }

    internal static LocalTarget Target(
        ParseResult parse, Option<string> stack, Option<string?> stateDir, ConsoleStepLog log, int? basePort = null, ConsoleSeedProgress? progress = null)
    {
        var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
        var topology = workspace.LoadStack(parse.GetValue(stack)!);
        if (basePort is { } port)
        {
            if (port is < 1024 or > 60000)
            {
                throw new InvalidInputException($"error: --base-port = {port}: not a usable port. Fix: use a port from 1024 to 60000.");
            }

            topology = topology with { Local = topology.Local with { BasePort = port } };
        }

        var root = parse.GetValue(stateDir) ?? LocalPaths.DefaultStateRoot();
        return new LocalTarget(topology, new LocalPaths(root, topology.Stack), workspace.Renderer(), new ServerConnector(), log, progress, LocalAgentCommand.Self(),
            LocalMonitorCommand.Self(parse.GetValue(CommonOptions.StacksDir)), SelfCommand.For());
    }

    /// <summary>
    /// A target for a changed copy of a stack under a state root of its own (drills): no failover monitor and no backup
    /// scheduler, whose daemons would load the stack file as written, not this copy.
    /// </summary>
    internal static LocalTarget DrillTarget(ParseResult parse, Func<Topology, Topology> change, string stackName, string root, ConsoleStepLog log)
    {
        var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
        var topology = change(workspace.LoadStack(stackName));
        return new LocalTarget(topology, new LocalPaths(root, topology.Stack), workspace.Renderer(), new ServerConnector(), log, null, null, null, SelfCommand.For());
    }
}
