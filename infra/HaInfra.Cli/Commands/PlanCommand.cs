using System.CommandLine;
using HaInfra.Cli.Planning;
using HaInfra.Operations;
using HaInfra.Operations.Planning;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `plan`: what a change to a stack does to its databases (verdict, topology before → after, risks, my.cnf per host,
/// resource changes), comparing a base revision with the working tree. No cloud access and no credentials; a recorded
/// `pulumi preview --json` can be merged in.
/// </summary>
public static class PlanCommand
{
    private static readonly string[] Formats = ["terminal", "markdown", "json"];

    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var baseRef = new Option<string?>("--base") { Description = "The base revision (a commit, branch or tag) to compare the working tree with" };
        var baseDir = new Option<string?>("--base-dir") { Description = "A checkout of the base revision, instead of --base" };
        var format = new Option<string>("--format") { Description = "terminal (default), markdown (a pull-request comment) or json (schemas/plan.schema.json)", DefaultValueFactory = _ => "terminal" };
        var preview = new Option<string?>("--pulumi-preview") { Description = "A `pulumi preview --json` output to merge into the resource changes" };
        var livePrimary = new Option<string?>("--live-primary") { Description = "The live primary (from ./hainfra status), when it is not the configured initial primary" };
        var command = new Command("plan", "Preview what a change to a stack does to its databases, against a base revision") { stack, baseRef, baseDir, format, preview, livePrimary };
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            var chosenFormat = parse.GetValue(format)!;
            if (!Formats.Contains(chosenFormat))
            {
                problems.Add($"--format {chosenFormat}: not a plan format.\n  fix: use one of {string.Join(", ", Formats)}.");
            }

            var reference = parse.GetValue(baseRef);
            var directory = parse.GetValue(baseDir);
            if ((reference is null) == (directory is null))
            {
                problems.Add("--base/--base-dir: give exactly one.\n  fix: --base REF (e.g. --base HEAD~1 or --base origin/main), or --base-dir DIR with a checkout of the base.");
            }

            var previewFile = parse.GetValue(preview);
            if (previewFile is not null && !File.Exists(previewFile))
            {
                problems.Add($"--pulumi-preview {previewFile}: no such file.\n  fix: give the file `pulumi preview --json > FILE` wrote.");
            }

            if (problems.Count > 0)
            {
                throw new InvalidInputException(string.Join("\n", problems.Select(p => $"error: {p}")));
            }

            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var stackName = parse.GetValue(stack)!;
            var head = PlanSides.Head(workspace, stackName);
            var live = parse.GetValue(livePrimary);
            if (live is not null && !head.Topology.Hosts.Any(h => h.Name == live))
            {
                throw new InvalidInputException(
                    $"error: --live-primary {live}: stack {stackName} has no such host.\n  fix: use one of {string.Join(", ", head.Topology.Hosts.Select(h => h.Name))}.");
            }

            Func<IReadOnlyList<ResourceChange>, IReadOnlyList<ResourceChange>>? merge = null;
            if (previewFile is not null)
            {
                var steps = PulumiPreview.Read(File.ReadAllText(previewFile), previewFile);
                merge = offline => PulumiPreview.Merge(offline, steps);
            }

            var checkout = reference is not null ? await BaseCheckout.FromRefAsync(workspace.Root, reference, ct) : BaseCheckout.FromDirectory(directory!);
            var baseSide = await PlanSides.BaseAsync(checkout, stackName, ct);
            var plan = PlanBuilder.Build(baseSide, head, live is null ? null : (live, "given with --live-primary"), merge);
            Console.Out.Write(chosenFormat switch
            {
                "markdown" => PlanMarkdownWriter.Write(plan),
                "json" => PlanJsonWriter.Write(plan),
                _ => PlanTerminalWriter.Write(plan, colour: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
