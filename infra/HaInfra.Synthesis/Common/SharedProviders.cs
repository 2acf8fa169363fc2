using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Common;

/// <summary>The cloud-neutral explicit providers every program has, each pinned to <see cref="ProviderVersions"/>.</summary>
internal sealed record SharedProviders(Resource Random, Resource Tls, Resource Command)
{
    public static SharedProviders Add(ResourceGraph graph) => new(
        graph.Add("random", "pulumi:providers:random", PMap.Empty, P.Map(("version", ProviderVersions.Random))),
        graph.Add("tls", "pulumi:providers:tls", PMap.Empty, P.Map(("version", ProviderVersions.Tls))),
        graph.Add("command", "pulumi:providers:command", PMap.Empty, P.Map(("version", ProviderVersions.Command))));

    /// <summary>Options sending a resource through <paramref name="provider"/>, plus any others.</summary>
    public static PMap Via(Resource provider, params (string Key, PValue? Value)[] more) => P.Map([("provider", provider.Ref), .. more]);
}
