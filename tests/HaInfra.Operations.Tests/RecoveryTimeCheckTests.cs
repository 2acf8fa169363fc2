using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

public class RecoveryTimeCheckTests
{
    [Fact]
    public void A_restore_within_the_objective_is_reported_as_met()
    {
        var (line, met) = RecoveryTimeCheck.Describe(TimeSpan.FromSeconds(12.34), new BackupObjectives(60, 1));

        Assert.True(met);
        Assert.Equal("recovery time: 12.3 s, within the 1 min objective (hainfra:backup.objectives.rtoMinutes).", line);
    }

    [Fact]
    public void A_restore_slower_than_the_objective_is_a_warning_with_a_fix()
    {
        var (line, met) = RecoveryTimeCheck.Describe(TimeSpan.FromSeconds(61), new BackupObjectives(60, 1));

        Assert.False(met);
        Assert.StartsWith("warning: recovery time 61.0 s exceeds the 1 min objective", line);
        Assert.Contains("Fix:", line);
    }
}
