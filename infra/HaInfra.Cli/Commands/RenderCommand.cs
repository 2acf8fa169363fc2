using System.CommandLine;
using HaInfra.Operations.Monitoring;
using HaInfra.Rendering.Monitoring;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Cli.Commands;

/// <summary>`render`: write each host's my.cnf (or, with --alerts, the stack's alert rules) for review, to a directory or to stdout.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var output = new Option<string?>("--out", "-o") { Description = "Directory to write <host>/my.cnf (or alerts/<stack>.rules.yml) into (default: print to stdout)" };
        var alerts = new Option<bool>("--alerts") { Description = "Render the stack's Prometheus alerting rules instead of my.cnf (for your own Prometheus/Alertmanager)" };
        var command = new Command("render", "Render every host's my.cnf, or the stack's alert rules, from templates/") { stack, output, alerts };
        command.SetAction(async (parse, ct) =>
        {
            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var topology = workspace.LoadStack(parse.GetValue(stack)!);
            var files = parse.GetValue(alerts)
                ? [new Rendering.RenderedFile(Path.Combine("alerts", $"{topology.Stack}.rules.yml"),
                    await AlertPlan.RenderAsync(workspace.Renderer(), topology, AlertThresholds.CloudDataMountpoint, ct), AlertRulesRenderer.Template)]
                : MyCnfRenderer.RenderAll(workspace.Renderer(), topology);
            var outDir = parse.GetValue(output);
            foreach (var file in files)
            {
                if (outDir is null)
                {
                    Console.Out.Write($"==> {file.RelativePath} <==\n{file.Text}\n");
                    continue;
                }

                var path = Path.Combine(outDir, file.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Text);
                Console.Out.WriteLine($"wrote {path} (from templates/{workspace.Renderer().Catalog.Get(file.Template).File})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
