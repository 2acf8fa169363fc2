using HaInfra.Model.Gtids;
using HaInfra.Operations.DisasterRecovery;

namespace HaInfra.Operations.Tests;

public sealed class DataAtRiskTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Missing_transactions_are_counted_per_domain_from_the_newest_known_position()
    {
        var risk = new DataAtRisk(GtidPosition.Parse("0-1-100,1-1-10"), T0, [
            new KnownPosition(GtidPosition.Parse("0-1-104"), T0.AddSeconds(2), "archive"),
            new KnownPosition(GtidPosition.Parse("0-1-107,1-1-12"), T0.AddSeconds(3), "host db2"),
        ]);

        Assert.Equal(9, risk.Transactions);
        Assert.Equal("host db2", risk.Newest!.Where);
        Assert.Equal(3, risk.Seconds);
        Assert.Contains("9 transaction(s) (3 s of commits)", risk.Describe());
    }

    [Fact]
    public void Nothing_known_outside_the_lost_region_means_the_loss_is_unknown_not_zero()
    {
        var risk = new DataAtRisk(GtidPosition.Parse("0-1-100"), T0, []);

        Assert.Null(risk.Transactions);
        Assert.Null(risk.Seconds);
        Assert.Contains("the loss is unknown", risk.Describe());
    }

    [Fact]
    public void A_dr_host_that_received_everything_known_loses_nothing()
    {
        var risk = new DataAtRisk(GtidPosition.Parse("0-1-100"), T0, [new KnownPosition(GtidPosition.Parse("0-1-100"), T0, "archive")]);

        Assert.Equal(0, risk.Transactions);
        Assert.Equal(0, risk.Seconds);
        Assert.StartsWith("nothing known is missing", risk.Describe());
    }

    [Fact]
    public void A_later_term_in_another_server_id_counts_by_sequence_in_its_domain()
    {
        // The lost primary (server 2) took over from server 1 in domain 0; sequences continue across terms.
        var risk = new DataAtRisk(GtidPosition.Parse("0-2-50"), null, [new KnownPosition(GtidPosition.Parse("0-2-58"), T0, "archive")]);

        Assert.Equal(8, risk.Transactions);
        Assert.Null(risk.Seconds);
    }
}
