using System.CommandLine;
using HaInfra.Operations;
using HaInfra.Rendering.Explain;

namespace HaInfra.Cli.Commands;

/// <summary>`explain methods`: the replication methods side by side, with the figures bench/methods recorded here.</summary>
public static class ExplainCommand
{
    private static readonly string[] Formats = ["terminal", "markdown"];

    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        stack.Description = "Whose failover settings (probe interval, failure count, automatic or not) and semi-sync timeout the comparison quotes";
        var figures = new Option<string?>("--figures") { Description = $"A recorded bench/methods run (default: {MethodFigures.DefaultPath} in the checkout)" };
        var format = new Option<string>("--format") { Description = "terminal (default) or markdown (a table, as in the README)", DefaultValueFactory = _ => "terminal" };
        var methods = new Command("methods", "What each replication method gives and costs: losing a host, RPO, write cost, conflicts, operations") { stack, figures, format };
        methods.SetAction(parse =>
        {
            var problems = new List<string>();
            var chosenFormat = parse.GetValue(format)!;
            if (!Formats.Contains(chosenFormat))
            {
                problems.Add($"error: --format {chosenFormat}: not a format of explain.\n  fix: use one of {string.Join(", ", Formats)}.");
            }

            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var given = parse.GetValue(figures);
            var path = given ?? Path.Combine(workspace.Root, MethodFigures.DefaultPath);
            MethodFigures? recorded = null;
            if (File.Exists(path))
            {
                recorded = MethodFigures.Parse(File.ReadAllText(path), given ?? MethodFigures.DefaultPath, out var problem);
                if (problem is not null)
                {
                    problems.Add($"error: {(given is null ? "" : "--figures ")}{problem}\n  fix: give the file a full bench/methods run wrote ({MethodFigures.DefaultPath}), or run bench/methods again.");
                }
            }
            else if (given is not null)
            {
                problems.Add($"error: --figures {given}: no such file.\n  fix: give the file a full bench/methods run wrote ({MethodFigures.DefaultPath}).");
            }

            HaInfra.Model.Topology? topology = null;
            try
            {
                topology = workspace.LoadStack(parse.GetValue(stack)!);
            }
            catch (InvalidInputException e)
            {
                problems.Add(e.Message);
            }

            if (problems.Count > 0)
            {
                throw new InvalidInputException(string.Join("\n", problems));
            }

            var rows = MethodComparison.Build(topology!.Failover, topology.Replication.SemiSyncTimeoutMs, recorded);
            var heading = $"Replication methods compared, with the failover settings of stack '{topology.Stack}'. Figures: " +
                (recorded is null
                    ? $"none recorded ({MethodFigures.DefaultPath} is missing): run bench/methods to measure them on this machine."
                    : $"{recorded.Origin}.");
            Console.Out.Write(chosenFormat == "markdown" ? MethodComparison.RenderMarkdown(rows, heading) : MethodComparison.RenderText(rows, heading));
            return ExitCodes.Ok;
        });
        return new Command("explain", "Explain choices a stack makes") { methods };
    }
}
