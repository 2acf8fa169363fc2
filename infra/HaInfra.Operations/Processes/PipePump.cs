namespace HaInfra.Operations.Processes;

/// <summary>
/// Moves one program's output into the next one's input. Bytes nobody needs to look at move inside the kernel
/// (<see cref="PipeSplice"/>); bytes to be hashed or sampled pass through a 1 MiB buffer here.
/// </summary>
internal static class PipePump
{
    private const int BufferSize = 1 << 20;

    /// <param name="to">The reader's stdin, or null to read everything and drop it (a pipeline's last output).</param>
    /// <param name="look">Sees every chunk in order; forces the buffered copy.</param>
    /// <param name="drainWhenReaderGoes">If the reader goes away, keep reading (and looking) to the end instead of
    /// returning at once: a stored object's digest then covers all of it and can name the cause of the failure.</param>
    /// <returns>False if the reader went away before the end of the input.</returns>
    public static async Task<bool> MoveAsync(
        Stream from, Stream? to, Action<ReadOnlyMemory<byte>>? look, Action<long> moved, bool drainWhenReaderGoes = false)
    {
        if (look is null && PipeSplice.CanSplice(from, to))
        {
            return await Task.Run(() => PipeSplice.Move(from, to!, moved), CancellationToken.None);
        }

        var buffer = new byte[BufferSize];
        var readerGone = false;
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            var chunk = buffer.AsMemory(0, read);
            look?.Invoke(chunk);
            if (to is not null)
            {
                try
                {
                    await to.WriteAsync(chunk);
                }
                catch (IOException)
                {
                    if (!drainWhenReaderGoes)
                    {
                        return false;
                    }

                    readerGone = true;
                    to = null;
                }
            }

            moved(read);
        }

        return !readerGone;
    }
}
