using HaInfra.Model;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// TLS for stacks with hainfra:tls: the stack's CA and per-host certificates (<see cref="TlsCertificates"/>, shared
/// with azure) reach each host through SSM parameters it alone may read, never through user data.
/// </summary>
internal static class Tls
{
    public static void Add(AwsContext ctx)
    {
        if (!ctx.Topology.Tls)
        {
            return;
        }

        var (key, cert) = TlsCertificates.Ca(ctx.Graph, ctx.TlsProvider, ctx.Topology.Stack);
        var parameters = ctx.Topology.Regions.ToDictionary(
            r => r,
            r => Passwords.PlainParameter(ctx, r, AwsNames.Regional("tls-ca-param", r), AwsNames.Parameter(ctx.Topology.Stack, "tls/ca"), cert["certPem"],
                "HaInfra CA certificate (public)"),
            StringComparer.Ordinal);
        ctx.Tls = new TlsAuthority(key, cert, parameters);
    }

    /// <summary>The host's key and certificate, each in an SSM parameter; null when the stack has no TLS.</summary>
    public static (TlsParameters Names, IReadOnlyList<Resource> Parameters)? ForHost(AwsContext ctx, Host host, string region, string privateDns)
    {
        if (ctx.Tls is not { } ca)
        {
            return null;
        }

        var (key, cert) = TlsCertificates.ForHost(ctx.Graph, ctx.TlsProvider, (ca.CaKey, ca.CaCert), host, privateDns);
        var names = new TlsParameters(
            AwsNames.Parameter(ctx.Topology.Stack, "tls/ca"),
            AwsNames.Parameter(ctx.Topology.Stack, $"{host.Name}/tls/cert"),
            AwsNames.Parameter(ctx.Topology.Stack, $"{host.Name}/tls/key"));
        var certParameter = Passwords.PlainParameter(ctx, region, AwsNames.Host(host.Name, "tls-cert-param"), names.Certificate, cert["certPem"],
            $"TLS certificate of {host.Name} (public)");
        var keyParameter = Passwords.SecureParameter(ctx, region, AwsNames.Host(host.Name, "tls-key-param"), names.PrivateKey, key["privateKeyPem"],
            $"TLS private key of {host.Name}; only its instance role may read it");
        return (names, [ca.CaParameters[region], certParameter, keyParameter]);
    }
}
