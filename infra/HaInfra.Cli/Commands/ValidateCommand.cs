using System.CommandLine;

namespace HaInfra.Cli.Commands;

/// <summary>`validate`: load a stack and report every problem, or a one-line summary.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var command = new Command("validate", "Check a stack file and report every problem at once") { stack };
        command.SetAction(parse =>
        {
            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var topology = workspace.LoadStack(parse.GetValue(stack)!);
            var hosts = topology.Hosts.Count();
            Console.Out.WriteLine($"stack '{topology.Stack}' is valid: {topology.Sites.Count} sites, {hosts} hosts, primary {topology.Primary.Name}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
