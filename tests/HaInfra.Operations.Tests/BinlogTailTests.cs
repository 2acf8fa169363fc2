using HaInfra.Model.Gtids;
using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Tests;

/// <summary>Where a returning server's history forked from the primary's, and which tails flashback can reverse.</summary>
public class BinlogTailTests
{
    [Fact]
    public void The_tail_starts_after_the_last_transaction_both_share()
    {
        var tail = BinlogTail.Between(GtidPosition.Parse("0-1-100,0-5-40"), GtidPosition.Parse("0-1-97,0-2-130,0-5-40"))!;
        Assert.Equal("0-1-100", tail.Errant.ToString());
        Assert.Equal("0-1-97", tail.Start.ToString());
        Assert.Equal("0-1-97,0-5-40", tail.RewoundState.ToString());
    }

    [Fact]
    public void A_server_with_nothing_of_its_own_has_an_empty_tail()
    {
        Assert.True(BinlogTail.Between(GtidPosition.Parse("0-1-90"), GtidPosition.Parse("0-1-97,0-2-130"))!.IsEmpty);
    }

    [Fact]
    public void A_fork_the_primary_holds_nothing_of_cannot_be_placed()
    {
        Assert.Null(BinlogTail.Between(GtidPosition.Parse("0-7-3"), GtidPosition.Parse("0-1-97")));
    }

    [Fact]
    public void Row_events_are_reversible_and_ddl_is_not()
    {
        const string dml = """
            #261206  5:09:08 server id 825319  end_log_pos 2873 CRC32 0x2a5e5ed8 	GTID 0-825319-24 trans
            # at 2873
            #261206  5:09:08 server id 825319  end_log_pos 2900 CRC32 0x11111111 	Query	thread_id=9	exec_time=0	error_code=0
            SET TIMESTAMP=1765000000/*!*/;
            BEGIN
            /*!*/;
            # at 2900
            ### INSERT INTO `app`.`t2`
            """;
        const string ddl = """
            #261206  5:08:50 server id 825319  end_log_pos 1200 CRC32 0x22222222 	Query	thread_id=9	exec_time=0	error_code=0	xid=0
            use `app`/*!*/;
            SET TIMESTAMP=1765000000/*!*/;
            CREATE TABLE IF NOT EXISTS app.t (id INT PRIMARY KEY)
            /*!*/;
            # at 1300
            """;
        Assert.Empty(BinlogTail.Irreversible(dml));
        Assert.Equal(["CREATE TABLE IF NOT EXISTS app.t (id INT PRIMARY KEY)"], BinlogTail.Irreversible(ddl));
    }
}
