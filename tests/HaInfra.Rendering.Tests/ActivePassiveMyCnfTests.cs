using HaInfra.Rendering.MyCnf;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

/// <summary>The pair settings of method: active-passive: on the two writers only, and nowhere in other stacks.</summary>
public class ActivePassiveMyCnfTests
{
    [Fact]
    public void Each_writer_gets_its_own_gtid_domain_and_auto_increment_offset_and_stays_read_only()
    {
        var ap = RenderFixture.Stack("local-ap");
        var renderer = RenderFixture.Renderer();
        var ap1 = MyCnfGoldenTests.Options(MyCnfRenderer.Render(renderer, ap, ap.Host("ap1")).Text);
        var ap2 = MyCnfGoldenTests.Options(MyCnfRenderer.Render(renderer, ap, ap.Host("ap2")).Text);

        Assert.Equal(("1", "2", "1"), (ap1["gtid_domain_id"], ap1["auto_increment_increment"], ap1["auto_increment_offset"]));
        Assert.Equal(("2", "2", "2"), (ap2["gtid_domain_id"], ap2["auto_increment_increment"], ap2["auto_increment_offset"]));
        Assert.All(new[] { ap1, ap2 }, o =>
        {
            Assert.Equal("ON", o["log_slave_updates"]);
            Assert.Equal("ON", o["read_only"]);
        });
    }

    [Fact]
    public void The_replicas_behind_the_pair_keep_the_default_domain()
    {
        var ap = RenderFixture.Stack("local-ap");
        foreach (var host in new[] { "ap3", "ap4" })
        {
            var text = MyCnfRenderer.Render(RenderFixture.Renderer(), ap, ap.Host(host)).Text;
            Assert.DoesNotContain("gtid_domain_id", text, StringComparison.Ordinal);
            Assert.DoesNotContain("auto_increment", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("prod")]
    public void Primary_replica_stacks_render_no_pair_settings(string stack)
    {
        foreach (var file in MyCnfRenderer.RenderAll(RenderFixture.Renderer(), RenderFixture.Stack(stack)))
        {
            Assert.DoesNotContain("gtid_domain_id", file.Text, StringComparison.Ordinal);
        }
    }
}
