using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>A customer-managed KMS key per region, rotated yearly, for data volumes, SSM secrets and backups.</summary>
internal static class Kms
{
    public static void Add(AwsContext ctx)
    {
        foreach (var region in ctx.Topology.Regions)
        {
            var key = ctx.Graph.Add(AwsNames.Regional("kms", region), "aws:kms:Key", P.Map(
                ("description", $"HaInfra stack {ctx.Topology.Stack}: database volumes, secrets and backups in {region}"),
                ("enableKeyRotation", true),
                ("deletionWindowInDays", 30),
                ("tags", AwsContext.Tags($"hainfra-{ctx.Topology.Stack}-{region}"))), ctx.Via(region));
            ctx.Graph.Add(AwsNames.Regional("kms-alias", region), "aws:kms:Alias", P.Map(
                ("name", $"alias/hainfra-{ctx.Topology.Stack}"),
                ("targetKeyId", key["keyId"])), ctx.Via(region));
            ctx.Keys[region] = key;
        }
    }
}
