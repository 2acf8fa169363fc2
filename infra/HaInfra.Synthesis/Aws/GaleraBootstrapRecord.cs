using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// method: galera: the record that lets a Galera cluster be started exactly once (<see cref="GaleraStart"/>): an SSM
/// parameter reading "unclaimed", created with the stack (so a destroyed and recreated stack starts afresh), which the
/// first node overwrites when it starts the cluster. Its value is the first node's from then on (ignoreChanges), and
/// only the first node's role may write it.
/// </summary>
internal static class GaleraBootstrapRecord
{
    public const string Path = "galera/bootstrap";

    public static void Add(AwsContext ctx)
    {
        var nodes = GaleraCluster.Nodes(ctx.Topology);
        if (nodes.Count == 0)
        {
            return;
        }

        var region = ctx.Topology.SiteOf(nodes[0]).Region;
        ctx.GaleraBootstrap = ctx.Graph.Add("galera-bootstrap-param", "aws:ssm:Parameter", P.Map(
            ("name", AwsNames.Parameter(ctx.Topology.Stack, Path)),
            ("type", "String"),
            ("value", GaleraStart.Unclaimed),
            ("description", $"HaInfra {ctx.Topology.Stack}: whether the Galera cluster was started ({nodes[0].Name} writes it once, when it starts the cluster)")),
            // What the claim writes, and the description, never cause an update: one would write "unclaimed" back.
            ctx.Via(region, ("ignoreChanges", P.Texts(["value", "description"]))));
    }

    /// <summary>How <paramref name="host"/> starts at first boot; null for a host outside the cluster.</summary>
    public static GaleraStart? StartOf(AwsContext ctx, Host host) => GaleraStart.For(ctx.Topology, host, AwsNames.Parameter(ctx.Topology.Stack, Path));

    /// <summary>The record, for the one host that may write it (the first node); null for every other host.</summary>
    public static Resource? WritableBy(AwsContext ctx, Host host) =>
        StartOf(ctx, host) is { FirstNode: true } ? ctx.GaleraBootstrap : null;
}
