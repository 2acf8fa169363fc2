using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// The admin and replication passwords (<see cref="StackPasswords"/>, shared with azure). Hosts read the admin
/// password from an SSM SecureString at boot, encrypted with their region's key.
/// </summary>
internal static class Passwords
{
    public const string AdminParameter = "admin-password";

    public static void Add(AwsContext ctx)
    {
        var pair = StackPasswords.Add(ctx.Graph, ctx.RandomProvider);
        var parameters = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var region in ctx.Topology.Regions)
        {
            parameters[region] = SecureParameter(ctx, region, AwsNames.Regional("admin-password-param", region),
                AwsNames.Parameter(ctx.Topology.Stack, AdminParameter), pair.Admin["result"], "HaInfra admin password, read by database hosts at boot");
        }

        ctx.Passwords = new PasswordResources(pair, parameters);
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
