using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// Explicit providers, each pinned to <see cref="ProviderVersions"/>: one azure provider for the subscription (the
/// classic provider has no location setting; every resource names its own), plus random, tls and command. The
/// subscription comes from the environment (ARM_SUBSCRIPTION_ID, or the az CLI login). Shared-key access to storage
/// is off, so the provider reaches blob data with Entra ID (storageUseAzuread).
/// </summary>
internal static class Providers
{
    public static void Add(AzureContext ctx)
    {
        ctx.Provider = ctx.Graph.Add(AzureNames.Provider, "pulumi:providers:azure", P.Map(
            ("features", P.Map(
                // A vault with purge protection cannot be purged anyway; a deleted one is recovered, not duplicated.
                ("keyVault", P.Map(("purgeSoftDeleteOnDestroy", false), ("recoverSoftDeletedKeyVaults", true), ("recoverSoftDeletedSecrets", true))),
                // Never delete a resource group that still holds something this program does not know about.
                ("resourceGroup", P.Map(("preventDeletionIfContainsResources", true))),
                ("managedDisk", P.Map(("expandWithoutDowntime", true))),
                ("virtualMachine", P.Map(("gracefulShutdown", true), ("deleteOsDiskOnDeletion", true))))),
            ("storageUseAzuread", true)),
            P.Map(("version", ProviderVersions.Azure)));
        ctx.Shared = SharedProviders.Add(ctx.Graph);
        ctx.NameSuffix = ctx.Graph.Add("name-suffix", "random:index:RandomString", P.Map(
            ("length", 8), ("lower", true), ("upper", false), ("numeric", true), ("special", false)), SharedProviders.Via(ctx.Shared.Random));
        ctx.ClientConfig = ctx.Graph.Variable("client-config", P.Invoke("azure:core:getClientConfig", null, ctx.Provider.Ref));
    }
}
