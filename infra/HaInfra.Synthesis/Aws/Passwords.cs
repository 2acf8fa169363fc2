using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// The admin and replication passwords: random:index:RandomPassword resources, so their values live only in the
/// encrypted stack state, never in the program. Hosts read the admin password from an SSM SecureString at boot;
/// the replication password goes only to the bootstrap command, as a secret environment variable.
/// </summary>
internal static class Passwords
{
    public const string AdminParameter = "admin-password";

    public static void Add(AwsContext ctx)
    {
        // Letters and digits only: safe inside SQL literals and shell words without quoting rules.
        PMap Random() => P.Map(("length", 32), ("special", false), ("minLower", 4), ("minUpper", 4), ("minNumeric", 4));
        var admin = ctx.Graph.Add("admin-password", "random:index:RandomPassword", Random(), Providers.Via(ctx.RandomProvider));
        var replication = ctx.Graph.Add("replication-password", "random:index:RandomPassword", Random(), Providers.Via(ctx.RandomProvider));
        var parameters = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var region in ctx.Topology.Regions)
        {
            parameters[region] = SecureParameter(ctx, region, AwsNames.Regional("admin-password-param", region),
                AwsNames.Parameter(ctx.Topology.Stack, AdminParameter), admin["result"], "HaInfra admin password, read by database hosts at boot");
        }

        ctx.Passwords = new PasswordResources(admin, replication, parameters);
    }

    /// <summary>An SSM SecureString encrypted with the region's key.</summary>
    public static Resource SecureParameter(AwsContext ctx, string region, string name, string path, PValue value, string description) =>
        ctx.Graph.Add(name, "aws:ssm:Parameter", P.Map(
            ("name", path),
            ("type", "SecureString"),
            ("keyId", ctx.Keys[region]["arn"]),
            ("value", value),
            ("description", description)), ctx.Via(region));

    public static Resource PlainParameter(AwsContext ctx, string region, string name, string path, PValue value, string description) =>
        ctx.Graph.Add(name, "aws:ssm:Parameter", P.Map(
            ("name", path),
            ("type", "String"),
            ("value", value),
            ("description", description)), ctx.Via(region));
}
