using HaInfra.Operations.Planning;

namespace HaInfra.Operations.Tests;

/// <summary>A desired my.cnf against a running server's values: forms the server shows differently are no change.</summary>
public sealed class RunningOptionsTests
{
    private const string Desired = """
        [mysqld]
        datadir = /s/db1/data
        log_bin = mysql-bin
        innodb_buffer_pool_size = 64M
        gtid_strict_mode = ON
        tls_version = TLSv1.2,TLSv1.3
        read_only = ON
        max_connections = 100
        skip-name-resolve
        user = root
        """;

    /// <summary>The values a server started from <see cref="Desired"/> shows (measured on 10.11: sizes in bytes, ON, a slash after the datadir).</summary>
    private static Dictionary<string, string?> Running() => new(StringComparer.Ordinal)
    {
        ["datadir"] = "/s/db1/data/",
        ["log_bin"] = "ON",
        ["log_bin_basename"] = "/s/db1/data/mysql-bin",
        ["innodb_buffer_pool_size"] = "67108864",
        ["gtid_strict_mode"] = "ON",
        ["tls_version"] = "TLSv1.3,TLSv1.2",
        ["read_only"] = "OFF",
        ["max_connections"] = "100",
        ["skip_name_resolve"] = "ON",
    };

    private static HostOptionChanges Compare(string desired, Dictionary<string, string?> running, string? onDisk = Desired) =>
        RunningOptions.Compare("db1", OptionFile.Parse(desired), OptionFile.Parse(onDisk), running);

    [Fact]
    public void A_server_running_its_file_has_no_changes_though_it_spells_values_its_own_way()
    {
        Assert.Empty(Compare(Desired, Running()).Changes);
    }

    [Fact]
    public void A_running_value_that_differs_is_a_change_with_the_servers_value_as_old()
    {
        var running = Running();
        running["max_connections"] = "151";
        running["innodb_buffer_pool_size"] = "134217728";

        Assert.Equal(
            [
                new OptionChange("mysqld", "innodb_buffer_pool_size", "134217728", "64M", OptionEffect.Dynamic),
                new OptionChange("mysqld", "max_connections", "151", "100", OptionEffect.Dynamic),
            ],
            Compare(Desired, running).Changes);
    }

    [Fact]
    public void A_binlog_under_another_name_or_a_flag_turned_off_is_a_restart()
    {
        var running = Running();
        running["log_bin_basename"] = "/s/db1/data/other-bin";
        running["skip_name_resolve"] = "OFF";

        var changes = Compare(Desired, running).Changes;

        Assert.Equal(["log_bin", "skip_name_resolve"], changes.Select(c => c.Key));
        Assert.All(changes, c => Assert.Equal(OptionEffect.Restart, c.Effect));
    }

    [Fact]
    public void Options_the_server_cannot_show_are_compared_with_the_file_on_disk()
    {
        var changes = Compare(Desired.Replace("user = root", "user = mysql"), Running()).Changes;

        Assert.Equal(new OptionChange("mysqld", "user", "root", "mysql", OptionEffect.Restart), Assert.Single(changes));
    }

    [Fact]
    public void Role_managed_variables_are_never_a_change_against_the_running_server()
    {
        var running = Running();
        running["read_only"] = "ON";

        Assert.Empty(Compare(Desired, running).Changes);
    }

    [Theory]
    [InlineData("ON", "1", true)]
    [InlineData("off", "0", true)]
    [InlineData("128M", "134217728", true)]
    [InlineData("1G", "1073741824", true)]
    [InlineData("0.5", "0.500000", true)]
    [InlineData("128M", "134217729", false)]
    [InlineData("ON", "OFF", false)]
    [InlineData("ROW", "row", true)]
    [InlineData("/a/b/", "/a/b", true)]
    [InlineData("/a/b", "/a/c", false)]
    public void Values_compare_by_meaning(string desired, string running, bool same) =>
        Assert.Equal(same, OptionValues.Same("any", desired, running, new Dictionary<string, string?>()));
}
