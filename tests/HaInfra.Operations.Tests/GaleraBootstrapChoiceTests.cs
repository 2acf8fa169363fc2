using HaInfra.Operations;
using HaInfra.Operations.Galera;

namespace HaInfra.Operations.Tests;

/// <summary>Which node starts a fully stopped Galera cluster, and grastate.dat as Galera writes it.</summary>
public class GaleraBootstrapChoiceTests
{
    private const string Cluster = "5f1d4c0e-b2a1-11ef-9a3c-0242ac120002";

    [Fact]
    public void A_new_cluster_starts_from_the_first_node()
    {
        var choice = BootstrapNodeChoice.Decide([new("g1", false, null, null, false), new("g2", false, null, null, false), new("g3", false, null, null, false)]);
        Assert.Equal(new BootstrapChoice("g1", "a new cluster: no node holds data yet", false), choice);
    }

    [Fact]
    public void The_node_galera_marked_safe_is_taken_as_it_is()
    {
        var choice = BootstrapNodeChoice.Decide([new("g1", true, Cluster, 40, false), new("g2", true, Cluster, 41, true), new("g3", true, Cluster, 40, false)]);
        Assert.Equal("g2", choice.Node);
        Assert.False(choice.MarkSafe);
        Assert.Contains("safe_to_bootstrap: 1", choice.Why);
    }

    [Fact]
    public void After_a_crash_the_highest_seqno_wins_and_is_marked_safe()
    {
        var choice = BootstrapNodeChoice.Decide([new("g1", true, Cluster, 17, false), new("g2", true, Cluster, 23, false), new("g3", true, Cluster, 23, false)]);
        Assert.Equal("g2", choice.Node);
        Assert.True(choice.MarkSafe);
        Assert.Contains("highest seqno 23", choice.Why);
    }

    [Fact]
    public void A_stale_safe_flag_never_beats_a_more_advanced_node()
    {
        var choice = BootstrapNodeChoice.Decide([new("g1", true, Cluster, 10, true), new("g2", true, Cluster, 12, false), new("g3", true, Cluster, 9, false)]);
        Assert.Equal("g2", choice.Node);
        Assert.True(choice.MarkSafe);
    }

    [Fact]
    public void A_node_without_data_never_starts_a_cluster_others_hold_data_of()
    {
        var choice = BootstrapNodeChoice.Decide([new("g1", false, null, null, false), new("g2", true, Cluster, 5, false), new("g3", true, Cluster, 4, false)]);
        Assert.Equal("g2", choice.Node);
    }

    [Fact]
    public void An_unknown_position_stops_the_start()
    {
        var e = Assert.Throws<OperationFailedException>(() =>
            BootstrapNodeChoice.Decide([new("g1", true, Cluster, 8, false), new("g2", true, Cluster, null, false), new("g3", true, Cluster, 8, false)]));
        Assert.Contains("g2", e.Message);
    }

    [Fact]
    public void Nodes_of_different_clusters_stop_the_start()
    {
        var e = Assert.Throws<OperationFailedException>(() =>
            BootstrapNodeChoice.Decide([new("g1", true, Cluster, 8, false), new("g2", true, "00000000-0000-0000-0000-00000000000a", 9, false)]));
        Assert.Contains("different clusters", e.Message);
    }

    [Fact]
    public void Grastate_is_read_and_marked_safe_in_place()
    {
        var dir = Directory.CreateTempSubdirectory("hainfra-grastate-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, GrastateFile.FileName), $"# GALERA saved state\nversion: 2.1\nuuid:    {Cluster}\nseqno:   -1\nsafe_to_bootstrap: 0\n");
            Assert.Equal(new GrastateFile(Cluster, -1, false), GrastateFile.Read(dir));
            GrastateFile.MarkSafeToBootstrap(dir);
            Assert.Equal(new GrastateFile(Cluster, -1, true), GrastateFile.Read(dir));
            Assert.Contains("version: 2.1", File.ReadAllText(Path.Combine(dir, GrastateFile.FileName)));
            Assert.Null(GrastateFile.Read(Path.Combine(dir, "missing")));
            Assert.True(new GrastateFile("00000000-0000-0000-0000-000000000000", -1, false).Empty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
