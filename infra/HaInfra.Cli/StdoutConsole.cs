using Spectre.Console;

namespace HaInfra.Cli;

/// <summary>The console tables print to: plain and 200 columns wide when stdout is redirected (scripts, tests, logs).</summary>
public static class StdoutConsole
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    /// <summary>An empty table in the CLI's style with the given column headers.</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }

        return table;
    }
}
