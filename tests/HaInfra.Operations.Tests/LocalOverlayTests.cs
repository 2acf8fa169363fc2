using HaInfra.Model.Config;
using HaInfra.Operations.Local;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

public class LocalOverlayTests
{
    [Fact]
    public void Overlay_matches_its_golden_file()
    {
        var topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "local").Topology!;
        var paths = new LocalPaths("/state", "local");
        var host = paths.Host("db2");
        var text = LocalOverlay.Render("db2", "local", host, LocalOverlay.For(topology, host, paths, 13307, runningAsRoot: true));
        Golden.Check("local-overlay/db2.cnf", text);
    }

    [Fact]
    public void Overlay_changes_only_paths_ports_memory_and_the_process_user()
    {
        var topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;
        var paths = new LocalPaths("/state", "prod");
        string[] allowed =
        [
            "port", "bind_address", "socket", "pid_file", "datadir", "log_error", "tmpdir", "ssl_ca", "ssl_cert", "ssl_key",
            "innodb_buffer_pool_size", "innodb_log_file_size", "max_connections", "user",
        ];
        foreach (var host in topology.Hosts)
        {
            var overrides = LocalOverlay.For(topology, paths.Host(host.Name), paths, 20000, runningAsRoot: true);
            Assert.All(overrides, o => Assert.Contains(o.Option, allowed));
        }
    }

    [Fact]
    public void Socket_paths_fit_the_unix_limit_for_the_default_state_root()
    {
        var topology = TopologyLoader.LoadStack(RepoRoot.Stacks, "prod").Topology!;
        var paths = new LocalPaths("/root/.local/state/hainfra", "prod");
        Assert.All(topology.Hosts, h => Assert.True(paths.Host(h.Name).Socket.Length <= LocalPaths.MaxSocketPath));
    }
}
