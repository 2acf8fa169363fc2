namespace HaInfra.Tests.Shared;

/// <summary>The checkout the tests run from: the directory holding HaInfra.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string Stacks => System.IO.Path.Combine(Path, "stacks");

    public static string Templates => System.IO.Path.Combine(Path, "templates");

    public static string TestsDir => System.IO.Path.Combine(Path, "tests");

    public static IReadOnlyList<string> ExampleStacks { get; } = ["local", "local-ap", "dev", "staging", "prod", "local-galera"];

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HaInfra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no HaInfra.sln above {AppContext.BaseDirectory}");
    }
}
