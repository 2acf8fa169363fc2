using HaInfra.Operations.Planning;
using HaInfra.Tests.Shared;

namespace HaInfra.Operations.Tests;

/// <summary>The server's own table classifies every key the templates write, and my.cnf spellings resolve to variables.</summary>
public sealed class ServerVariablesTests
{
    private static readonly ServerVariables Table = ServerVariables.MariaDb;

    [Fact]
    public void The_table_is_the_generated_one_of_mariadb_10_11()
    {
        Assert.Contains("10.11", Table.Version);
        Assert.Contains("scripts/gen-server-variables", Table.Version);
        Assert.True(Table.All.Count > 500, $"only {Table.All.Count} variables: the table looks truncated");
    }

    [Theory]
    [InlineData("max_connections", OptionEffect.Dynamic)]
    [InlineData("max-connections", OptionEffect.Dynamic)]
    [InlineData("loose-max-connections", OptionEffect.Dynamic)]
    [InlineData("innodb_buffer_pool_size", OptionEffect.Dynamic)]
    [InlineData("read_only", OptionEffect.Dynamic)]
    [InlineData("slave_parallel_threads", OptionEffect.DynamicReplicaStopped)]
    [InlineData("slave-parallel-mode", OptionEffect.DynamicReplicaStopped)]
    [InlineData("log_bin", OptionEffect.Restart)]
    [InlineData("ssl_ca", OptionEffect.Restart)]
    [InlineData("port", OptionEffect.Restart)]
    [InlineData("innodb_buffer_pool_chunk_size", OptionEffect.Restart)]
    [InlineData("skip-name-resolve", OptionEffect.Restart)]
    [InlineData("skip-log-bin", OptionEffect.Restart)]
    [InlineData("plugin_load_add", OptionEffect.Restart)]
    [InlineData("user", OptionEffect.Restart)]
    [InlineData("no_such_option_at_all", OptionEffect.Restart)]
    public void Keys_take_effect_as_the_server_says(string key, OptionEffect effect) => Assert.Equal(effect, Table.EffectOf(key));

    [Fact]
    public void Session_only_variables_are_not_dynamic_globals()
    {
        var sessionOnly = Table.All.Where(v => v.Scope == "SESSION ONLY" && !v.ReadOnly).ToList();
        Assert.NotEmpty(sessionOnly);
        Assert.All(sessionOnly, v => Assert.Equal(OptionEffect.Restart, Table.EffectOf(v.Name)));
    }

    [Fact]
    public void Prefixed_spellings_resolve_to_their_variable()
    {
        Assert.Equal("log_bin", Table.VariableOf("skip-log-bin")?.Name);
        Assert.Equal("skip_name_resolve", Table.VariableOf("skip_name_resolve")?.Name);
        Assert.Equal("max_connections", Table.VariableOf("loose-max_connections")?.Name);
        Assert.Null(Table.VariableOf("plugin-load-add"));
    }

    /// <summary>A template key of a section the server reads that the table cannot classify fails here: add it to the table
    /// (a newer server) or to StartupOnlyOptions. Other programs' sections ([sst], [client]) hold no server variables.</summary>
    [Fact]
    public void Every_key_of_every_mariadb_golden_my_cnf_and_local_overlay_is_classified()
    {
        var files = Directory.GetFiles(Path.Combine(RepoRoot.TestsDir, "golden", "my.cnf"), "my.cnf", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).First().Contains("mariadb.cnf", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(Path.Combine(RepoRoot.TestsDir, "golden", "local-overlay")))
            .ToList();
        Assert.True(files.Count >= 10, $"found only {files.Count} golden option files");
        var unknown = files
            .SelectMany(f => OptionFile.Parse(File.ReadAllText(f)).Options.Where(o => OptionSections.IsServer(o.Section))
                .Select(o => (File: Path.GetRelativePath(RepoRoot.TestsDir, f), o.Key)))
            .Where(o => !Table.Knows(o.Key))
            .Select(o => $"{o.Key} ({o.File})")
            .ToList();
        Assert.True(unknown.Count == 0, $"keys the server table cannot classify: {string.Join("; ", unknown)}");
    }
}
