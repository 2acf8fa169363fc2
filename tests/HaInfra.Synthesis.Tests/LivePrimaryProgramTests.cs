using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The program never reverts a role change: the writer and reader DNS records belong to the role changes after their
/// creation, and no host's user data carries a role (every server starts read-only; the recorded term decides).
/// </summary>
public class LivePrimaryProgramTests
{
    [Theory]
    [MemberData(nameof(Synth.AllStacks), MemberType = typeof(Synth))]
    public void The_endpoint_records_ignore_changes_to_their_targets(string stack)
    {
        var records = Synth.Resources(Synth.Tree(stack)).Where(r => r.Name is "dns_primary" or "dns_replicas").ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal("[\"records\"]", Json(r.Options["ignoreChanges"])));
    }

    [Fact]
    public void Host_user_data_carries_no_role()
    {
        var text = Synth.Text("prod");
        Assert.DoesNotContain("read_only                       = OFF", text);
        Assert.DoesNotContain("rpl_semi_sync_master_enabled    = ON", text);
        Assert.DoesNotContain(": primary in site", text);
    }

    private static string Json(PValue? value) => value switch
    {
        PList list => "[" + string.Join(",", list.Items.Select(Json)) + "]",
        PText text => $"\"{text.Value}\"",
        _ => value?.ToString() ?? "null",
    };
}
