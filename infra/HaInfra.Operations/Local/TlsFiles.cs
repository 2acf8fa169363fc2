using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's TLS material: a private CA and one server certificate for 127.0.0.1/localhost shared by
/// all local servers. Replicas verify it (MASTER_SSL_VERIFY_SERVER_CERT), as cloud replicas do.
/// </summary>
public static class TlsFiles
{
    public const string CaFile = "ca.pem";
    public const string ServerCertFile = "server-cert.pem";
    public const string ServerKeyFile = "server-key.pem";

    /// <summary>Creates the files when missing; returns true when it created them. ECDSA P-256 keys: as strong as
    /// RSA-3072 and generated in milliseconds, where RSA key generation costs a visible part of a local up.</summary>
    /// <param name="addresses">More IP addresses the certificate must name (the sites' namespace addresses).</param>
    /// <param name="renewOld">Whether a certificate made before it allowed client authentication is made again (only
    /// while no server of the stack runs: a running one keeps presenting the old certificate, which a new CA would not verify).</param>
    public static bool Ensure(string directory, IReadOnlyList<string>? addresses = null, bool renewOld = true)
    {
        var extra = string.Join("\n", addresses ?? []);
        var named = Path.Combine(directory, "server-addresses.txt");
        if (File.Exists(Path.Combine(directory, CaFile)) && File.Exists(Path.Combine(directory, ServerCertFile)) && File.Exists(Path.Combine(directory, ServerKeyFile))
            && (File.Exists(named) ? File.ReadAllText(named) : "") == extra && (!renewOld || AuthenticatesClients(Path.Combine(directory, ServerCertFile))))
        {
            return false;
        }

        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=HaInfra local CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var address in addresses ?? [])
        {
            names.AddIpAddress(IPAddress.Parse(address));
        }

        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Server and client authentication: Galera nodes (and garbd) present it to each other in both roles; OpenSSL
        // refused a server-only one ("unsuitable certificate purpose"). The cloud certificates allow both as well.
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth), new Oid(ClientAuth)], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var server = serverRequest.Create(ca, now, now.AddYears(5), serial);

        Write(directory, CaFile, ca.ExportCertificatePem(), world: true);
        Write(directory, ServerCertFile, server.ExportCertificatePem(), world: true);
        Write(directory, ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem(), world: false);
        File.WriteAllText(named, extra);
        return true;
    }

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>False for a certificate made before it allowed client authentication: it is made again.</summary>
    private static bool AuthenticatesClients(string certFile)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        return cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuth));
    }

    private static void Write(string directory, string name, string pem, bool world)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, pem + "\n");
        File.SetUnixFileMode(path, world
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
            : UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
