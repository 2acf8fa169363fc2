using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// scripts/cli-sources.bash, which ./hainfra asks before every run whether to rebuild the CLI: any change to a source
/// the build reads (edited, added, removed, renamed) rebuilds; build outputs under bin/ and obj/ do not.
/// </summary>
public sealed class CliStalenessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hainfra-stale-").FullName;

    private string Out => Path.Combine(_root, ".build", "cli");

    [Theory]
    [InlineData("edit a source", true)]
    [InlineData("edit a nested source", true)]
    [InlineData("edit a project file", true)]
    [InlineData("edit Directory.Build.props", true)]
    [InlineData("edit global.json", true)]
    [InlineData("edit hainfra", true)]
    [InlineData("add a source with an old time", true)]
    [InlineData("remove a source", true)]
    [InlineData("rename a source", true)]
    [InlineData("remove the dll", true)]
    [InlineData("edit a file under obj", false)]
    [InlineData("add a file under bin", false)]
    [InlineData("edit a file that is no source", false)]
    [InlineData("nothing", false)]
    public void A_change_to_what_the_build_reads_rebuilds(string change, bool stale)
    {
        Write("hainfra", "Directory.Build.props", "global.json", "infra/HaInfra.Model/HaInfra.Model.csproj", "infra/HaInfra.Model/Topology.cs",
            "infra/HaInfra.Model/Config/Deep/Reader.cs", "infra/HaInfra.Model/obj/Generated.cs", "infra/HaInfra.Model/bin/x.deps.json",
            "infra/HaInfra.Model/README.txt", ".build/cli/hainfra.dll");
        Assert.True(Stale(), "without a stamp the CLI must be built");
        Assert.Equal(0, Bash("cli_stamp \"$2/.sources\" \"$1\"").Exit);
        Assert.False(Stale(), "right after a build");

        Apply(change);
        Assert.Equal(stale, Stale());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Apply(string change)
    {
        var later = DateTime.UtcNow.AddMinutes(1);
        switch (change)
        {
            case "edit a source":
                File.SetLastWriteTimeUtc(Path.Combine(_root, "infra/HaInfra.Model/Topology.cs"), later);
                break;
            case "edit a nested source":
                File.SetLastWriteTimeUtc(Path.Combine(_root, "infra/HaInfra.Model/Config/Deep/Reader.cs"), later);
                break;
            case "edit a project file":
                File.SetLastWriteTimeUtc(Path.Combine(_root, "infra/HaInfra.Model/HaInfra.Model.csproj"), later);
                break;
            case "edit Directory.Build.props" or "edit global.json" or "edit hainfra":
                File.SetLastWriteTimeUtc(Path.Combine(_root, change["edit ".Length..]), later);
                break;
            case "add a source with an old time":
                Write("infra/HaInfra.Model/Config/New.cs");
                break;
            case "remove a source":
                File.Delete(Path.Combine(_root, "infra/HaInfra.Model/Config/Deep/Reader.cs"));
                break;
            case "rename a source":
                File.Move(Path.Combine(_root, "infra/HaInfra.Model/Topology.cs"), Path.Combine(_root, "infra/HaInfra.Model/Topology2.cs"));
                break;
            case "remove the dll":
                File.Delete(Path.Combine(Out, "hainfra.dll"));
                break;
            case "edit a file under obj":
                File.SetLastWriteTimeUtc(Path.Combine(_root, "infra/HaInfra.Model/obj/Generated.cs"), later);
                break;
            case "add a file under bin":
                Write("infra/HaInfra.Model/bin/y.json");
                break;
            case "edit a file that is no source":
                File.SetLastWriteTimeUtc(Path.Combine(_root, "infra/HaInfra.Model/README.txt"), later);
                break;
        }
    }

    // Files dated an hour back, so that only what a case changes is newer than the stamp.
    private void Write(params string[] files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(_root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        }
    }

    private bool Stale()
    {
        var (exit, _, stderr) = Bash("cli_stale \"$1\" \"$2\"");
        Assert.True(exit is 0 or 1, stderr);
        return exit == 0;
    }

    private (int Exit, string Stdout, string Stderr) Bash(string command) =>
        Processes.Run("bash", ["-c", $". \"$0\"; {command}", Path.Combine(RepoRoot.Path, "scripts", "cli-sources.bash"), _root, Out],
            new Dictionary<string, string?>());
}
