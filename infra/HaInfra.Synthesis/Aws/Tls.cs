using HaInfra.Model;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Aws;

/// <summary>
/// TLS for stacks with hainfra:tls: a private CA for the stack and one certificate per host naming its private DNS
/// name (replicas verify it). Keys are tls provider resources (secret in the state) and reach each host through
/// SSM parameters it alone may read, never through user data. ECDSA P-256, as the local target uses.
/// </summary>
internal static class Tls
{
    private const int CaValidityHours = 10 * 365 * 24;
    private const int HostValidityHours = 2 * 365 * 24;

    public static void Add(AwsContext ctx)
    {
        if (!ctx.Topology.Tls)
        {
            return;
        }

        var via = Providers.Via(ctx.TlsProvider);
        var key = ctx.Graph.Add("tls-ca-key", "tls:index:PrivateKey", P.Map(("algorithm", "ECDSA"), ("ecdsaCurve", "P256")), via);
        var cert = ctx.Graph.Add("tls-ca-cert", "tls:index:SelfSignedCert", P.Map(
            ("privateKeyPem", key["privateKeyPem"]),
            ("isCaCertificate", true),
            ("validityPeriodHours", CaValidityHours),
            ("allowedUses", P.Texts(["cert_signing", "crl_signing"])),
            ("subject", P.Map(("commonName", $"HaInfra {ctx.Topology.Stack} CA"), ("organization", "HaInfra")))), via);
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

        var via = Providers.Via(ctx.TlsProvider);
        var key = ctx.Graph.Add(AwsNames.Host(host.Name, "tls-key"), "tls:index:PrivateKey", P.Map(("algorithm", "ECDSA"), ("ecdsaCurve", "P256")), via);
        var request = ctx.Graph.Add(AwsNames.Host(host.Name, "tls-csr"), "tls:index:CertRequest", P.Map(
            ("privateKeyPem", key["privateKeyPem"]),
            ("subject", P.Map(("commonName", privateDns), ("organization", "HaInfra"))),
            ("dnsNames", P.Texts([privateDns, host.Name]))), via);
        var cert = ctx.Graph.Add(AwsNames.Host(host.Name, "tls-cert"), "tls:index:LocallySignedCert", P.Map(
            ("certRequestPem", request["certRequestPem"]),
            ("caPrivateKeyPem", ca.CaKey["privateKeyPem"]),
            ("caCertPem", ca.CaCert["certPem"]),
            ("validityPeriodHours", HostValidityHours),
            ("earlyRenewalHours", 30 * 24),
            ("allowedUses", P.Texts(["digital_signature", "key_encipherment", "server_auth", "client_auth"]))), via);

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
