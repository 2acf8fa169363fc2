using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Common;

/// <summary>
/// The admin and replication passwords: random:index:RandomPassword resources, so their values live only in the
/// encrypted stack state, never in the program. How hosts read the admin password is the cloud's part (SSM on aws,
/// Key Vault on azure); the replication password goes only to the bootstrap command, as a secret environment variable.
/// </summary>
internal sealed record StackPasswords(Resource Admin, Resource Replication)
{
    public static StackPasswords Add(ResourceGraph graph, Resource randomProvider)
    {
        // Letters and digits only: safe inside SQL literals and shell words without quoting rules.
        PMap Random() => P.Map(("length", 32), ("special", false), ("minLower", 4), ("minUpper", 4), ("minNumeric", 4));
        return new StackPasswords(
            graph.Add("admin-password", "random:index:RandomPassword", Random(), SharedProviders.Via(randomProvider)),
            graph.Add("replication-password", "random:index:RandomPassword", Random(), SharedProviders.Via(randomProvider)));
    }
}
