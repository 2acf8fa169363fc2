using HaInfra.Model.Gtids;

namespace HaInfra.Model.Tests;

public class GtidTests
{
    [Theory]
    [InlineData("0-1-42")]
    [InlineData("4294967295-4294967295-18446744073709551615")]
    public void Gtid_parses_and_prints_back(string text) => Assert.Equal(text, Gtid.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("0-1")]
    [InlineData("0-1-x")]
    [InlineData("-1-1-1")]
    public void Gtid_rejects_malformed(string text) => Assert.False(Gtid.TryParse(text, out _));

    [Fact]
    public void Position_prints_sorted_so_equal_positions_print_equal()
    {
        var a = GtidPosition.Parse("1-7-3,0-1-42");
        var b = GtidPosition.Parse("0-1-42, 1-7-3");
        Assert.Equal("0-1-42,1-7-3", a.ToString());
        Assert.Equal(a, b);
        Assert.True(GtidPosition.Parse("").IsEmpty);
    }

    [Fact]
    public void Contains_compares_per_domain()
    {
        var primary = GtidPosition.Parse("0-1-42,1-7-3");
        Assert.True(primary.Contains(GtidPosition.Parse("0-1-40")));
        Assert.True(primary.Contains(GtidPosition.Empty));
        Assert.False(primary.Contains(GtidPosition.Parse("0-1-43")));
        Assert.False(primary.Contains(GtidPosition.Parse("2-1-1")));
    }

    [Fact]
    public void Errant_transactions_are_those_the_source_never_had()
    {
        var source = GtidPosition.Parse("0-1-42,0-2-10");
        Assert.True(GtidPosition.Parse("0-1-40").NotIn(source).IsEmpty);
        Assert.Equal("0-3-41", GtidPosition.Parse("0-1-40,0-3-41").NotIn(source).ToString());
        Assert.Equal("0-1-43", GtidPosition.Parse("0-1-43").NotIn(source).ToString());
    }

    [Fact]
    public void PerDomain_keeps_the_newest_of_each_domain() =>
        Assert.Equal("0-2-9,1-1-3", GtidPosition.Parse("0-1-5,0-2-9,1-1-3").PerDomain().ToString());
}

public class GtidStateAtTests
{
    [Fact]
    public void A_copy_taken_at_a_position_gets_every_writer_of_its_data_cut_back_to_that_position()
    {
        var donor = HaInfra.Model.Gtids.GtidPosition.Parse("0-1-100,0-2-250,0-3-260,1-7-5");
        var state = donor.StateAt(HaInfra.Model.Gtids.GtidPosition.Parse("0-2-255,1-7-5"));
        Assert.Equal("0-1-100,0-2-255,0-3-255,1-7-5", state.ToString());
    }

    [Fact]
    public void The_cut_state_makes_the_old_primarys_transactions_look_held_not_errant()
    {
        var seeded = HaInfra.Model.Gtids.GtidPosition.Parse("0-9-300").StateAt(HaInfra.Model.Gtids.GtidPosition.Parse("0-9-300"));
        var withHistory = HaInfra.Model.Gtids.GtidPosition.Parse("0-5-273,0-9-300").StateAt(HaInfra.Model.Gtids.GtidPosition.Parse("0-9-300"));
        var oldPrimary = HaInfra.Model.Gtids.GtidPosition.Parse("0-5-273");
        Assert.False(oldPrimary.NotIn(seeded).IsEmpty);
        Assert.True(oldPrimary.NotIn(withHistory).IsEmpty);
    }
}
