using HaInfra.Cli;

namespace HaInfra.IntegrationTests;

/// <summary>
/// CheckoutBuild, with which the native CLI asks itself on every start whether to rebuild: any change to a source the
/// build reads (edited, added, removed, renamed) rebuilds; build outputs under bin/ and obj/ do not.
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
    [InlineData("remove the stamp", true)]
    [InlineData("edit a file under obj", false)]
    [InlineData("add a file under bin", false)]
    [InlineData("edit a file that is no source", false)]
    [InlineData("nothing", false)]
    public void A_change_to_what_the_build_reads_rebuilds(string change, bool stale)
    {
        Write("hainfra", "Directory.Build.props", "global.json", "infra/HaInfra.Model/HaInfra.Model.csproj", "infra/HaInfra.Model/Topology.cs",
            "infra/HaInfra.Model/Config/Deep/Reader.cs", "infra/HaInfra.Model/obj/Generated.cs", "infra/HaInfra.Model/bin/x.deps.json",
            "infra/HaInfra.Model/README.txt", ".build/cli/hainfra");
        Assert.True(Stale(), "without a stamp the CLI must be built");
        Directory.CreateDirectory(Out);
        CheckoutBuild.WriteStamp(_root, Path.Combine(Out, ".sources"));
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
            case "remove the stamp":
                File.Delete(Path.Combine(Out, ".sources"));
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

    private bool Stale() => CheckoutBuild.IsStale(_root);
}
