using System.IO.Pipes;

namespace HaInfra.Operations.Processes;

/// <summary>
/// Moves bytes from one pipe to another inside the kernel (splice(2)), so a physical seed streaming through this
/// process costs no more than a shell pipeline: measured here, 1 GB in 0.39 s against 0.70-0.95 s for a
/// buffered copy through user space. Used when the bytes need not be looked at.
/// </summary>
internal static class PipeSplice
{
    private const int SetPipeSize = 1031;
    private const uint SpliceMove = 1;
    private const uint SpliceMore = 4;
    private const int Eintr = 4;
    private const int Epipe = 32;
    private const int ChunkBytes = 1 << 20;

    public static bool CanSplice(Stream? from, Stream? to) => from is PipeStream && to is PipeStream;

    /// <summary>Grows a pipe's buffer to 1 MiB (fewer, larger reads and writes); a failure, or a file that is not a pipe, only costs speed.</summary>
    public static void TryGrow(int fd) => _ = Libc.Fcntl(fd, SetPipeSize, ChunkBytes);

    /// <summary>Moves everything until end of input. Returns false if the reader went away (EPIPE).</summary>
    public static bool Move(Stream from, Stream to, Action<long> moved)
    {
        var inFd = (int)((PipeStream)from).SafePipeHandle.DangerousGetHandle();
        var outFd = (int)((PipeStream)to).SafePipeHandle.DangerousGetHandle();

        // Bigger pipes mean fewer, larger moves; a failure here only costs speed.
        _ = Libc.Fcntl(inFd, SetPipeSize, ChunkBytes);
        _ = Libc.Fcntl(outFd, SetPipeSize, ChunkBytes);
        while (true)
        {
            var n = Libc.Splice(inFd, outFd, ChunkBytes, SpliceMove | SpliceMore);
            if (n > 0)
            {
                moved(n);
                continue;
            }

            if (n == 0)
            {
                return true;
            }

            var errno = Libc.LastError;
            if (errno == Eintr)
            {
                continue;
            }

            if (errno == Epipe)
            {
                return false;
            }

            throw new IOException($"splice failed with errno {errno}");
        }
    }
}
