using System.CommandLine;

namespace HaInfra.Cli;

/// <summary>Options shared by several verbs.</summary>
public static class CommonOptions
{
    public static Option<string> Stack() => new("--stack", "-s")
    {
        Description = "Stack name: reads stacks/Pulumi.<stack>.yaml",
        DefaultValueFactory = _ => "local",
    };

    public static readonly Option<string?> StacksDir = new("--stacks-dir")
    {
        Description = "Read stack files from this directory instead of the checkout's stacks/",
        Recursive = true,
    };

    public static Option<string?> StateDir() => new("--state-dir")
    {
        Description = "Local target state root (default: $HAINFRA_STATE_DIR or ~/.local/state/hainfra)",
    };
}
