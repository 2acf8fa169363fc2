namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The local-ap example stack (method: active-passive) is a local-target stack like local, so it is not in the golden
/// program lists; its aws program must still pass every self-check and carry the pair's settings to the two writers.
/// </summary>
public class ActivePassiveProgramTests
{
    [Fact]
    public void The_active_passive_stack_synthesizes_a_valid_program_with_the_pair_settings()
    {
        var text = Synth.Text("local-ap");
        Assert.Contains("gtid_domain_id                  = 1", text, StringComparison.Ordinal);
        Assert.Contains("gtid_domain_id                  = 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gtid_domain_id                  = 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("read_only                       = OFF", text, StringComparison.Ordinal);
    }
}
