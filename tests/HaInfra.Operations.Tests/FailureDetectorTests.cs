using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Tests;

/// <summary>Never promote on one signal: the monitor's probe and every replica must agree.</summary>
public class FailureDetectorTests
{
    private static ReplicaReport Replica(string name, bool connected, bool reachable = true) => new(name, reachable, connected, connected ? "IO Yes" : "IO Connecting");

    [Fact]
    public void A_passing_probe_is_alive()
    {
        Assert.Equal(PrimaryHealth.Alive, FailureDetector.Judge(0, 3, []).Health);
    }

    [Fact]
    public void Fewer_failures_than_the_count_is_only_suspect()
    {
        Assert.Equal(PrimaryHealth.Suspect, FailureDetector.Judge(2, 3, [Replica("a", false)]).Health);
    }

    [Fact]
    public void A_replica_that_still_hears_the_primary_vetoes_the_failover()
    {
        var (health, why) = FailureDetector.Judge(5, 3, [Replica("a", false), Replica("b", true)]);
        Assert.Equal(PrimaryHealth.Suspect, health);
        Assert.Contains("b still hears", why);
    }

    [Fact]
    public void When_no_replica_answers_the_monitor_may_be_the_one_cut_off()
    {
        Assert.Equal(PrimaryHealth.Suspect, FailureDetector.Judge(5, 3, [Replica("a", false, reachable: false)]).Health);
    }

    [Fact]
    public void Enough_failed_probes_and_every_answering_replica_disconnected_is_dead()
    {
        var (health, why) = FailureDetector.Judge(3, 3, [Replica("a", false), Replica("b", false), Replica("c", false, reachable: false)]);
        Assert.Equal(PrimaryHealth.Dead, health);
        Assert.Contains("a (IO Connecting)", why);
        Assert.DoesNotContain("c (", why);
    }
}
