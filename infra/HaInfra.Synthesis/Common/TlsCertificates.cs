using HaInfra.Model;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Common;

/// <summary>
/// TLS for stacks with hainfra:tls, the same on every cloud: a private CA for the stack and one certificate per host
/// naming its private DNS name (replicas verify it), made by the tls provider (keys secret in the state). ECDSA P-256,
/// as the local target uses. How a host receives them (SSM on aws, Key Vault on azure) is the cloud's part.
/// </summary>
internal static class TlsCertificates
{
    private const int CaValidityHours = 10 * 365 * 24;
    private const int HostValidityHours = 2 * 365 * 24;

    public static (Resource Key, Resource Cert) Ca(ResourceGraph graph, Resource tlsProvider, string stack)
    {
        var via = SharedProviders.Via(tlsProvider);
        var key = graph.Add("tls-ca-key", "tls:index:PrivateKey", P.Map(("algorithm", "ECDSA"), ("ecdsaCurve", "P256")), via);
        var cert = graph.Add("tls-ca-cert", "tls:index:SelfSignedCert", P.Map(
            ("privateKeyPem", key["privateKeyPem"]),
            ("isCaCertificate", true),
            ("validityPeriodHours", CaValidityHours),
            ("allowedUses", P.Texts(["cert_signing", "crl_signing"])),
            ("subject", P.Map(("commonName", $"HaInfra {stack} CA"), ("organization", "HaInfra")))), via);
        return (key, cert);
    }

    /// <summary>The host's key and its certificate signed by the stack's CA.</summary>
    public static (Resource Key, Resource Cert) ForHost(ResourceGraph graph, Resource tlsProvider, (Resource Key, Resource Cert) ca, Host host, string privateDns)
    {
        var via = SharedProviders.Via(tlsProvider);
        var key = graph.Add(Names.Host(host.Name, "tls-key"), "tls:index:PrivateKey", P.Map(("algorithm", "ECDSA"), ("ecdsaCurve", "P256")), via);
        var request = graph.Add(Names.Host(host.Name, "tls-csr"), "tls:index:CertRequest", P.Map(
            ("privateKeyPem", key["privateKeyPem"]),
            ("subject", P.Map(("commonName", privateDns), ("organization", "HaInfra"))),
            ("dnsNames", P.Texts([privateDns, host.Name]))), via);
        var cert = graph.Add(Names.Host(host.Name, "tls-cert"), "tls:index:LocallySignedCert", P.Map(
            ("certRequestPem", request["certRequestPem"]),
            ("caPrivateKeyPem", ca.Key["privateKeyPem"]),
            ("caCertPem", ca.Cert["certPem"]),
            ("validityPeriodHours", HostValidityHours),
            ("earlyRenewalHours", 30 * 24),
            ("allowedUses", P.Texts(["digital_signature", "key_encipherment", "server_auth", "client_auth"]))), via);
        return (key, cert);
    }
}
