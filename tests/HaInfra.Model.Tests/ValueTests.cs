namespace HaInfra.Model.Tests;

public class ValueTests
{
    [Theory]
    [InlineData("10.11", 10, 11, null)]
    [InlineData("8.0.36", 8, 0, 36)]
    public void Version_parses_and_prints_back(string text, int major, int minor, int? patch)
    {
        var version = ServerVersion.Parse(text);
        Assert.Equal(new ServerVersion(major, minor, patch), version);
        Assert.Equal(text, version.ToString());
    }

    [Fact]
    public void A_series_sorts_after_its_patches()
    {
        Assert.True(ServerVersion.Parse("8.0") > ServerVersion.Parse("8.0.36"));
        Assert.True(ServerVersion.Parse("8.0.22") < ServerVersion.Parse("8.0.23"));
        Assert.True(ServerVersion.Parse("10.11") > ServerVersion.Parse("10.6"));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10.x")]
    [InlineData("1.2.3.4")]
    public void Version_rejects_malformed(string text) => Assert.False(ServerVersion.TryParse(text, out _));

    [Fact]
    public void Enums_own_their_spellings()
    {
        Assert.Equal("AFTER_SYNC", Spellings.WaitPointServer.Of(SemiSyncWaitPoint.AfterSync));
        Assert.Equal("same-city", Spellings.SiteKind.Of(SiteKind.SameCity));
        Assert.True(Spellings.SiteKind.TryParse("Same-City", out var kind));
        Assert.Equal(SiteKind.SameCity, kind);
        Assert.False(Spellings.SiteKind.TryParse("same_city", out _));
    }

    [Theory]
    [InlineData("db1", true)]
    [InlineData("prod-db-a1", true)]
    [InlineData("-db", false)]
    [InlineData("db-", false)]
    [InlineData("DB1", false)]
    [InlineData("db.1", false)]
    [InlineData("", false)]
    public void Dns_labels(string name, bool valid) => Assert.Equal(valid, DnsLabel.IsValid(name));
}
