using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace HaInfra.Operations.Processes;

/// <summary>
/// Copies this process's stdin to its stdout, hashing and counting what passes: the backup agent's pass-through
/// between encryption and upload (`hainfra hash-through`). One process with 1 MiB pipe reads; `tee` into
/// `sha256sum` moves the stream in 8 KiB pieces through extra pipes and measured 4× slower here.
/// </summary>
public static class HashThrough
{
    private const int BufferSize = 1 << 20;

    /// <summary>The sha256 (lower-case hex) and byte count of everything copied.</summary>
    public sealed record Digest(string Sha256, long Bytes);

    /// <summary>Copies fd 0 to fd 1 unbuffered. An IOException means the reader of stdout went away.</summary>
    public static Digest CopyStandardStreams()
    {
        PipeSplice.TryGrow(0);
        PipeSplice.TryGrow(1);
        using var input = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        using var output = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        return Copy(input, output);
    }

    public static Digest Copy(Stream input, Stream output)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long bytes = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            sha.AppendData(buffer.AsSpan(0, read));
            output.Write(buffer.AsSpan(0, read));
            bytes += read;
        }

        return new Digest(Convert.ToHexStringLower(sha.GetHashAndReset()), bytes);
    }
}
