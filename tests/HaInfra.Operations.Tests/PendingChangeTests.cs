using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Tests;

/// <summary>The role-change lease: held until it expires, unless its holder died on this machine.</summary>
public sealed class PendingChangeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void A_lease_of_a_running_process_is_held_until_it_expires()
    {
        var mine = PendingChange.Mine("switchover", "db1", "db2", "operator", Now, TimeSpan.FromSeconds(30));

        Assert.True(new TermState(1, null, mine, null).IsBusy(Now));
        Assert.False(new TermState(1, null, mine, null).IsBusy(Now.AddSeconds(31)));
    }

    [Fact]
    public void A_lease_whose_holder_died_on_this_machine_is_abandoned()
    {
        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        var lease = PendingChange.Mine("switchover", "db1", "db2", "operator", Now, TimeSpan.FromSeconds(30)) with { Pid = gone.Id };

        Assert.True(lease.IsAbandoned);
        Assert.False(new TermState(1, null, lease, null).IsBusy(Now));
    }

    [Fact]
    public void A_lease_held_on_another_machine_or_without_a_pid_is_never_judged_from_here()
    {
        var elsewhere = PendingChange.Mine("failover", "db1", "db2", "monitor", Now, TimeSpan.FromSeconds(30)) with { Machine = "another-host", Pid = 1 << 30 };
        var old = new PendingChange("failover", "db1", "db2", "monitor", Now, Now.AddSeconds(30));

        Assert.True(new TermState(1, null, elsewhere, null).IsBusy(Now));
        Assert.True(new TermState(1, null, old, null).IsBusy(Now));
    }
}
