namespace HaInfra.Operations.Local;

/// <summary>
/// An exclusive lock on a stack's state directory, so two `local` commands never act on the same servers at
/// once. .NET takes an advisory flock for FileShare.None, which the kernel releases if the process dies.
/// </summary>
public sealed class StateLock : IDisposable
{
    private readonly FileStream _stream;

    private StateLock(FileStream stream) => _stream = stream;

    public static StateLock Acquire(LocalPaths paths)
    {
        Directory.CreateDirectory(paths.Root);
        try
        {
            return new StateLock(new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new OperationFailedException(
                $"another hainfra command is working on {paths.Root}.",
                "wait for it to finish, then run this command again.");
        }
    }

    public void Dispose() => _stream.Dispose();
}
