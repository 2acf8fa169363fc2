using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>
/// The regions each cloud had when this list was written, to catch a misspelled region ("eu-centrall-1"). A region
/// that is not listed and is not close to a listed one is accepted: clouds open new regions, and refusing a real one
/// would be worse than missing a typo.
/// </summary>
internal static class RegionNames
{
    private static readonly string[] Aws =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "il-central-1", "me-south-1", "me-central-1", "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    ];

    private static readonly string[] Azure =
    [
        "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus", "westcentralus",
        "canadacentral", "canadaeast", "brazilsouth", "mexicocentral", "northeurope", "westeurope", "uksouth", "ukwest",
        "francecentral", "germanywestcentral", "switzerlandnorth", "norwayeast", "swedencentral", "polandcentral",
        "italynorth", "spaincentral", "austriaeast", "belgiumcentral", "denmarkeast", "uaenorth", "qatarcentral",
        "israelcentral", "southafricanorth", "centralindia", "southindia", "westindia", "japaneast", "japanwest",
        "koreacentral", "koreasouth", "eastasia", "southeastasia", "australiaeast", "australiasoutheast",
        "australiacentral", "newzealandnorth", "indonesiacentral", "malaysiawest", "chilecentral",
    ];

    /// <summary>The known region a misspelled one most likely meant; null when it is known, or not close to any.</summary>
    public static string? LikelyMeant(CloudKind? cloud, string region)
    {
        var known = cloud switch { CloudKind.Aws => Aws, CloudKind.Azure => Azure, _ => [] };
        if (known.Length == 0 || known.Contains(region, StringComparer.Ordinal))
        {
            return null;
        }

        var closest = known.MinBy(k => EditDistance.Between(k, region.ToLowerInvariant()))!;
        return EditDistance.Between(closest, region.ToLowerInvariant()) <= 2 ? closest : null;
    }
}
