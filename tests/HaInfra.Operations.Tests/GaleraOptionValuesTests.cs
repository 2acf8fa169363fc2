using HaInfra.Operations.Planning;

namespace HaInfra.Operations.Tests;

/// <summary>local plan on a Galera node: provider options compared key by key, the SST account not shown by the server.</summary>
public class GaleraOptionValuesTests
{
    private const string Shown =
        "base_dir = /s/g1/data/; base_port = 54006; gcache.size = 128M; gmcast.listen_addr = tcp://127.0.0.1:54006; ist.recv_addr = 127.0.0.1:54007; pc.weight = 1; ";

    private static readonly Dictionary<string, string?> Running = new(StringComparer.Ordinal) { ["datadir"] = "/s/g1/data/" };

    [Fact]
    public void Provider_options_written_are_compared_key_by_key()
    {
        Assert.True(OptionValues.Same("wsrep_provider_options", "\"gmcast.listen_addr=tcp://127.0.0.1:54006; ist.recv_addr=127.0.0.1:54007; gcache.size=128M\"", Shown, Running));
        Assert.False(OptionValues.Same("wsrep_provider_options", "gmcast.listen_addr=tcp://127.0.0.1:54006; gcache.size=256M", Shown, Running));
        Assert.False(OptionValues.Same("wsrep_provider_options", "gcs.fc_limit=64", Shown, Running));
    }

    [Fact]
    public void A_set_sst_account_is_shown_masked_and_not_reported_as_a_change()
    {
        Assert.True(OptionValues.Same("wsrep_sst_auth", "root:", "********", Running));
        Assert.False(OptionValues.Same("wsrep_sst_auth", "root:", "", Running));
    }
}
