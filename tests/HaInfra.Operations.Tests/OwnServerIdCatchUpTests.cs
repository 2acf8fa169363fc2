using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Tests;

public sealed class OwnServerIdCatchUpTests
{
    [Fact]
    public void Transactions_of_the_replicas_own_server_id_past_its_start_are_pending()
    {
        // The old primary (7) is rebuilt from a backup at 0-7-254; the DR primary (9) holds 7's history up to 637, then its own.
        var pending = OwnServerIdCatchUp.Pending(GtidPosition.Parse("0-7-637,0-9-900"), 7, GtidPosition.Parse("0-7-254"));

        Assert.Equal("0-7-637", pending.ToString());
    }

    [Fact]
    public void Nothing_is_pending_when_the_start_is_past_the_replicas_own_transactions()
    {
        Assert.True(OwnServerIdCatchUp.Pending(GtidPosition.Parse("0-7-637,0-9-900"), 7, GtidPosition.Parse("0-9-700")).IsEmpty);
        Assert.True(OwnServerIdCatchUp.Pending(GtidPosition.Parse("0-7-637,0-9-900"), 5, GtidPosition.Parse("0-7-254")).IsEmpty);
    }

    [Fact]
    public void The_temporary_server_id_is_outside_derived_and_archive_ids()
    {
        var temporary = OwnServerIdCatchUp.TemporaryServerId(999_999);
        Assert.True(temporary > 999_999 && temporary < 4_000_000_000u);
    }
}
