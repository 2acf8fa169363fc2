using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// The stack's CA certificate from its outputs, written to a file of this process's own (the SQL client reads the CA
/// from a file) and deleted when the operation ends. It is public, but the directory is private anyway.
/// </summary>
public sealed class OperatorCa : IDisposable
{
    private readonly string _directory;

    private OperatorCa(string directory, string file)
    {
        _directory = directory;
        File = file;
    }

    public string File { get; }

    public static OperatorCa Write(string pem)
    {
        var directory = Directory.CreateTempSubdirectory("hainfra-ca-").FullName;
        var file = Path.Combine(directory, "ca.pem");
        System.IO.File.WriteAllText(file, pem);
        return new OperatorCa(directory, file);
    }

    public static bool IsCertificate(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
