using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Operations;
using HaInfra.Rendering;

namespace HaInfra.Cli;

/// <summary>
/// The project checkout the CLI works in: stacks/ and templates/. Found from $HAINFRA_ROOT (set by the
/// ./hainfra wrapper), else by walking up from the working directory to Pulumi.yaml.
/// </summary>
public sealed class Workspace
{
    private Workspace(string root, string? stacksDir)
    {
        Root = root;
        StacksDir = stacksDir ?? Path.Combine(root, "stacks");
    }

    public string Root { get; }

    public string StacksDir { get; }

    public string TemplatesDir => Path.Combine(Root, "templates");

    public static Workspace Find(string? stacksDirOverride)
    {
        var fromEnv = Environment.GetEnvironmentVariable("HAINFRA_ROOT");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return new Workspace(Path.GetFullPath(fromEnv), stacksDirOverride);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "templates")))
                {
                    return new Workspace(dir.FullName, stacksDirOverride);
                }
            }
        }

        throw new InvalidInputException("error: cannot find the HaInfra checkout (Pulumi.yaml with templates/). Run ./hainfra from the checkout, or set HAINFRA_ROOT.");
    }

    /// <summary>Loads and validates a stack; every problem at once, as an <see cref="InvalidInputException"/>.</summary>
    public Topology LoadStack(string stack)
    {
        var result = TopologyLoader.LoadStack(StacksDir, stack);
        return result.Topology ?? throw new InvalidInputException(result.Describe().TrimEnd());
    }

    public TemplateRenderer Renderer() => new(TemplateCatalog.Load(TemplatesDir));
}
