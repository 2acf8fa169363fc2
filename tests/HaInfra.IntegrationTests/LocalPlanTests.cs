using HaInfra.Operations.Local;
using HaInfra.Operations.Planning;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// local plan on real servers: a freshly brought-up stack shows no changes; a changed stack setting (a dynamic
/// option) and a changed template (a restart-only option) show as exactly those changes, with their effects; hosts
/// added to or removed from the stack show as such. The input is changed in a copy of the checkout, never the
/// servers, so the fixture's stack stays as local up left it.
/// </summary>
public sealed class LocalPlanTests(LocalStackServers stack) : IClassFixture<LocalStackServers>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hainfra-plan-").FullName;

    [MariaDbFact]
    public async Task A_freshly_brought_up_stack_has_no_changes()
    {
        var plan = await stack.Target.PlanAsync();

        Assert.True(plan.Realized);
        Assert.All(plan.Hosts, h => Assert.Equal(LocalHostStatus.Running, h.Status));
        Assert.All(plan.Hosts, h => Assert.True(h.Changes.Changes.Count == 0, $"{h.Host}: {string.Join("; ", h.Changes.Changes)}"));
        var (exit, stdout, stderr) = Plan(RepoRoot.Path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("no changes: every server of stack 'local' runs with the my.cnf local up would write.", stdout);
    }

    [MariaDbFact]
    public async Task A_changed_dynamic_setting_and_a_changed_restart_only_template_line_show_with_their_effects()
    {
        var root = CopyCheckout(
            stackFile => stackFile.Replace("semiSyncTimeoutMs: 2000", "semiSyncTimeoutMs: 3000", StringComparison.Ordinal),
            template => template.Replace("= TLSv1.2,TLSv1.3", "= TLSv1.3", StringComparison.Ordinal));
        var changed = stack.Topology with { Replication = stack.Topology.Replication with { SemiSyncTimeoutMs = 3000 } };
        var target = new LocalTarget(changed, stack.Target.Paths, new(HaInfra.Rendering.TemplateCatalog.Load(Path.Combine(root, "templates"))),
            new HaInfra.Operations.Sql.ServerConnector(), stack.Log);

        var plan = await target.PlanAsync();

        OptionChange[] expected =
        [
            new("mysqld", "rpl_semi_sync_master_timeout", "2000", "3000", OptionEffect.Dynamic),
            new("mysqld", "tls_version", "TLSv1.2,TLSv1.3", "TLSv1.3", OptionEffect.Restart),
        ];
        Assert.Equal(["db1", "db2", "db3"], plan.Hosts.Select(h => h.Host));
        Assert.All(plan.Hosts, h => Assert.Equal(expected, h.Changes.Changes));
        var (exit, stdout, stderr) = Plan(root);
        Assert.True(exit == 0, stderr);
        Assert.Contains("[mysqld] rpl_semi_sync_master_timeout  2000 -> 3000  dynamic (SET GLOBAL)", stdout);
        Assert.Contains("[mysqld] tls_version                   TLSv1.2,TLSv1.3 -> TLSv1.3  restart", stdout);
        Assert.Contains("6 option change(s) on 3 host(s), 3 of them needing a restart", stdout);
    }

    [MariaDbFact]
    public void A_host_renamed_in_the_stack_is_one_to_add_and_one_to_remove()
    {
        var root = CopyCheckout(stackFile => stackFile.Replace("name: db3", "name: db4", StringComparison.Ordinal), template => template.Replace("# ", "#  ", StringComparison.Ordinal));

        var (exit, stdout, stderr) = Plan(root);

        Assert.True(exit == 0, stderr);
        Assert.Contains("db4  to add: in the stack, not here; local up creates it", stdout);
        Assert.Contains("db3  to remove: here, no longer in the stack", stdout);
        Assert.Contains("db1  running: no changes", stdout);
    }

    [Fact]
    public void A_stack_never_brought_up_here_is_all_to_add_and_exit_0()
    {
        var (exit, stdout, stderr) = CliTests.Run("local", "plan", "--stack", "local", "--state-dir", Path.Combine(_root, "empty-state"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("stack 'local' is not realized here: local up creates db1, db2, db3.", stdout);
    }

    [Fact]
    public void A_bad_stack_name_is_exit_2_naming_it()
    {
        var (exit, _, stderr) = CliTests.Run("local", "plan", "--stack", "no-such-stack", "--state-dir", _root);

        Assert.Equal(2, exit);
        Assert.Contains("no-such-stack", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (int Exit, string Stdout, string Stderr) Plan(string checkout) =>
        CliTests.RunWith(new Dictionary<string, string?> { ["HAINFRA_ROOT"] = checkout }, "local", "plan", "--stack", "local", "--state-dir", stack.StateRoot);

    /// <summary>A copy of the checkout's stacks/ and templates/ with the local stack file and the MariaDB template changed.</summary>
    private string CopyCheckout(Func<string, string> stackFile, Func<string, string> template)
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, $"checkout-{Guid.NewGuid():N}")).FullName;
        foreach (var dir in new[] { "stacks", "templates" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, dir), "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(root, Path.GetRelativePath(RepoRoot.Path, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        Rewrite(Path.Combine(root, "stacks", "Pulumi.local.yaml"), stackFile);
        Rewrite(Path.Combine(root, "templates", "my.cnf", "mariadb.cnf.sbn"), template);
        return root;
    }

    private static void Rewrite(string path, Func<string, string> change)
    {
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.True(before != after, $"the change to {Path.GetFileName(path)} matched nothing: the file no longer has what this test changes");
        File.WriteAllText(path, after);
    }
}
