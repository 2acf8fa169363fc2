using HaInfra.Operations.Local;
using HaInfra.Rendering.MyCnf;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>
/// Every rendered option file is read by the real server binary (mariadbd --help --verbose parses every option
/// and rejects unknown names and bad values), so a misspelled or invalid option fails here, not on a host.
/// </summary>
public sealed class RealServerOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-cnf-").FullName;

    [MariaDbFact]
    public void Mariadbd_accepts_every_rendered_file_of_every_example_stack()
    {
        var renderer = RenderFixture.Renderer();
        foreach (var stack in RepoRoot.ExampleStacks)
        {
            foreach (var file in MyCnfRenderer.RenderAll(renderer, RenderFixture.Stack(stack)))
            {
                AssertServerAccepts(ServerBinaries.MariaDbServer!, $"{stack}/{file.RelativePath}", file.Text);
            }
        }
    }

    [MariaDbFact]
    public void Mariadbd_accepts_the_local_overlay_on_top_of_the_rendered_file()
    {
        var topology = RenderFixture.Stack("prod");
        var paths = new LocalPaths(_dir, topology.Stack);
        var host = topology.Primary;
        var hostPaths = paths.Host(host.Name);
        Directory.CreateDirectory(hostPaths.Dir);
        File.WriteAllText(hostPaths.RenderedCnf, MyCnfRenderer.Render(RenderFixture.Renderer(), topology, host).Text);
        var overrides = LocalOverlay.For(topology, hostPaths, paths, 23306, runningAsRoot: true);
        File.WriteAllText(hostPaths.LocalCnf, LocalOverlay.Render(host.Name, topology.Stack, hostPaths, overrides));
        var (exitCode, output) = ServerBinaries.Run(ServerBinaries.MariaDbServer!, $"--defaults-file={hostPaths.LocalCnf}", "--help", "--verbose");
        Assert.True(exitCode == 0, output);

        // The overlay wins over the rendered file, and everything else is the rendered file's.
        Assert.Matches(@"(?m)^port\s+23306$", output);
        Assert.Matches(@"(?m)^innodb-buffer-pool-size\s+67108864$", output);
        Assert.Matches(@"(?m)^gtid-strict-mode\s+TRUE$", output);
        Assert.Matches(@"(?m)^sync-binlog\s+1$", output);
    }

    [MariaDbFact]
    public void The_check_catches_a_misspelled_option()
    {
        var topology = RenderFixture.Stack("local");
        var text = MyCnfRenderer.Render(RenderFixture.Renderer(), topology, topology.Primary).Text
            .Replace("slave_parallel_threads", "slave_paralel_threads", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "misspelled.cnf");
        File.WriteAllText(path, text);
        var (exitCode, output) = ServerBinaries.Run(ServerBinaries.MariaDbServer!, $"--defaults-file={path}", "--help", "--verbose");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("unknown variable 'slave_paralel_threads", output);
    }

    [MariaDbFact]
    public void The_check_catches_an_invalid_value()
    {
        var topology = RenderFixture.Stack("local");
        var text = MyCnfRenderer.Render(RenderFixture.Renderer(), topology, topology.Primary).Text
            .Replace("binlog_format                   = ROW", "binlog_format                   = ROWS", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "invalid.cnf");
        File.WriteAllText(path, text);
        var (exitCode, output) = ServerBinaries.Run(ServerBinaries.MariaDbServer!, $"--defaults-file={path}", "--help", "--verbose");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("'binlog_format'", output);
    }

    [MySqlFact]
    public void Mysqld_accepts_every_rendered_mysql_file()
    {
        foreach (var file in MyCnfRenderer.RenderAll(RenderFixture.Renderer(), RenderFixture.MySqlProd()))
        {
            AssertServerAccepts(ServerBinaries.MySqlServer!, $"prod-mysql/{file.RelativePath}", file.Text);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void AssertServerAccepts(string server, string name, string text)
    {
        var path = Path.Combine(_dir, name.Replace('/', '_'));
        File.WriteAllText(path, text);
        var (exitCode, output) = ServerBinaries.Run(server, $"--defaults-file={path}", "--help", "--verbose");
        var errors = string.Join("\n", output.Split('\n').Where(l => l.Contains("[ERROR]", StringComparison.Ordinal)));
        Assert.True(exitCode == 0, $"{Path.GetFileName(server)} rejected {name} (exit {exitCode}):\n{errors}");
    }
}
