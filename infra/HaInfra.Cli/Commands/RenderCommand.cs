using System.CommandLine;
using HaInfra.Rendering.MyCnf;

namespace HaInfra.Cli.Commands;

/// <summary>`render`: write each host's my.cnf for review, to a directory or to stdout.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var stack = CommonOptions.Stack();
        var output = new Option<string?>("--out", "-o") { Description = "Directory to write <host>/my.cnf into (default: print to stdout)" };
        var command = new Command("render", "Render every host's my.cnf from templates/") { stack, output };
        command.SetAction(parse =>
        {
            var workspace = Workspace.Find(parse.GetValue(CommonOptions.StacksDir));
            var topology = workspace.LoadStack(parse.GetValue(stack)!);
            var files = MyCnfRenderer.RenderAll(workspace.Renderer(), topology);
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
