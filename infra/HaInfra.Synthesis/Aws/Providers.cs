using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// Explicit providers, each pinned to <see cref="ProviderVersions"/>: one aws provider per region (every aws resource
/// names its own), plus random, tls and command. Nothing falls back to an ambient default provider.
/// </summary>
internal static class Providers
{
    public static void Add(AwsContext ctx)
    {
        foreach (var region in ctx.Topology.Regions)
        {
            ctx.Providers[region] = ctx.Graph.Add(AwsNames.Provider(region), "pulumi:providers:aws",
                P.Map(
                    ("region", region),
                    ("defaultTags", P.Map(("tags", P.Map(("stack", ctx.Topology.Stack), ("managed-by", "hainfra")))))),
                P.Map(("version", ProviderVersions.Aws)));
        }

        ctx.Shared = SharedProviders.Add(ctx.Graph);
    }

    public static PMap Via(Resource provider, params (string Key, PValue? Value)[] more) => SharedProviders.Via(provider, more);
}
