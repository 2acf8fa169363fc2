using HaInfra.Cli.Commands;
using HaInfra.Model.Config;
using HaInfra.Operations;
using HaInfra.Operations.Planning;
using HaInfra.Rendering;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Cli.Planning;

/// <summary>
/// Loads the two sides of a plan. The head is this checkout, rendered and synthesized in-process; the base is read and
/// produced by the base checkout's own CLI. Both models are validated by today's rules, and an invalid side is bad
/// input that names the side.
/// </summary>
public static class PlanSides
{
    public static PlanSide Head(Workspace workspace, string stack)
    {
        var raw = StackFileReader.Read(workspace.StacksDir, stack);
        var loaded = TopologyLoader.Load(raw);
        if (loaded.Topology is not { } topology)
        {
            throw new InvalidInputException($"error: the working tree side of the plan is invalid (nothing was compared):\n{loaded.Describe().TrimEnd()}");
        }

        var program = new StringWriter();
        var errors = new StringWriter();
        var environment = SynthCommand.Environment();
        foreach (var key in environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        if (SynthCommand.Run(environment, stack, workspace.StacksDir, program, errors) != ExitCodes.Ok)
        {
            throw new InvalidInputException($"error: the working tree side of the plan does not synthesize (nothing was compared):\n{errors.ToString().TrimEnd()}");
        }

        return new PlanSide("working tree", topology, MyCnfRenderer.RenderAll(workspace.Renderer(), topology), program.ToString(), raw.Values);
    }

    /// <summary>The base side, or null when the stack does not exist in the base (a new stack).</summary>
    public static async Task<PlanSide?> BaseAsync(BaseCheckout checkout, string stack, CancellationToken ct)
    {
        if (!File.Exists(StackFileReader.PathFor(checkout.StacksDir, stack)))
        {
            return null;
        }

        var raw = StackFileReader.Read(checkout.StacksDir, stack);
        var loaded = TopologyLoader.Load(raw);
        if (loaded.Topology is not { } topology)
        {
            throw new InvalidInputException($"error: the base side of the plan ({checkout.Label}) is invalid by today's rules (nothing was compared):\n{loaded.Describe().TrimEnd()}");
        }

        var scratch = Directory.CreateTempSubdirectory("hainfra-plan-");
        try
        {
            var rendered = await checkout.RunAsync(["render", "--stack", stack, "--stacks-dir", checkout.StacksDir, "--out", scratch.FullName], ct);
            if (rendered.ExitCode != 0)
            {
                throw new OperationFailedException($"the base's own CLI could not render stack {stack} ({checkout.Label}):\n{rendered.StderrTail()}",
                    $"check that {checkout.Root} builds (./hainfra validate there); plan against another base otherwise.");
            }

            var synthesized = await checkout.RunAsync(["synth", "--stack", stack, "--stacks-dir", checkout.StacksDir], ct);
            if (synthesized.ExitCode != 0)
            {
                throw new OperationFailedException($"the base's own CLI could not synthesize stack {stack} ({checkout.Label}):\n{synthesized.StderrTail()}",
                    $"check that {checkout.Root} builds (./hainfra synth --stack {stack} there); plan against another base otherwise.");
            }

            var files = topology.Hosts
                .Select(h => Path.Combine(scratch.FullName, h.Name, "my.cnf"))
                .Where(File.Exists)
                .Select(path => new RenderedFile(Path.GetRelativePath(scratch.FullName, path).Replace('\\', '/'), File.ReadAllText(path), "my.cnf"))
                .ToList();
            return new PlanSide(checkout.Label, topology, files, synthesized.Stdout, raw.Values);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
