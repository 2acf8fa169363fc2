using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

/// <summary>A verification never passes over fewer tables than the restore holds.</summary>
public class ChecksumComparisonTests
{
    private static Dictionary<string, string?> Map(params (string Table, string? Sum)[] rows) => rows.ToDictionary(r => r.Table, r => r.Sum, StringComparer.Ordinal);

    [Fact]
    public void Every_table_equal_is_verified()
    {
        Assert.Empty(ChecksumComparison.Problems(Map(("app.a", "1"), ("app.b", "2")), Map(("app.a", "1"), ("app.b", "2")), ["app.a", "app.b"]));
    }

    [Fact]
    public void An_empty_reference_for_a_restore_with_tables_fails()
    {
        var problem = Assert.Single(ChecksumComparison.Problems(Map(), Map(), ["app.a"]));
        Assert.Contains("lists no table, but the restore holds 1", problem);
    }

    [Fact]
    public void A_table_the_reference_does_not_list_fails()
    {
        var problem = Assert.Single(ChecksumComparison.Problems(Map(("app.a", "1")), Map(("app.a", "1")), ["app.a", "app.new"]));
        Assert.Contains("app.new", problem);
    }

    [Fact]
    public void A_differing_or_missing_table_fails_with_both_checksums()
    {
        var problem = Assert.Single(ChecksumComparison.Problems(Map(("app.a", "1"), ("app.b", "2")), Map(("app.a", "9")), ["app.a"]));
        Assert.Contains("app.a (9 vs 1)", problem);
        Assert.Contains("app.b (missing vs 2)", problem);
    }

    [Fact]
    public void An_empty_reference_of_an_empty_restore_is_no_problem()
    {
        Assert.Empty(ChecksumComparison.Problems(Map(), Map(), []));
    }
}
