namespace HaInfra.Operations.Local;

/// <summary>
/// An exclusive lock on a stack's state directory, so two `local` commands never act on the same servers at
/// once. .NET takes an advisory flock for FileShare.None, which the kernel releases if the process dies. The
/// holder writes who it is beside the lock (the lock file itself cannot be read by others while held), so a
/// refused command names the command in its way instead of only saying that there is one.
/// </summary>
public sealed class StateLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _holderFile;

    private StateLock(FileStream stream, string holderFile)
    {
        _stream = stream;
        _holderFile = holderFile;
    }

    public static StateLock Acquire(LocalPaths paths)
    {
        Directory.CreateDirectory(paths.Root);
        var holderFile = paths.LockFile + ".holder";
        FileStream stream;
        try
        {
            stream = new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new OperationFailedException(
                $"another hainfra command is working on {paths.Root}: {Holder(holderFile)}.",
                "wait for it to finish, then run this command again.");
        }

        // A holder file left by a command that died is simply overwritten: the kernel released its lock.
        File.WriteAllText(holderFile, Locking.ThisProcess.Describe() + "\n");
        return new StateLock(stream, holderFile);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_holderFile);
        }
        catch (DirectoryNotFoundException)
        {
            // local down --purge removed the state directory while holding the lock.
        }

        _stream.Dispose();
    }

    /// <summary>Who holds the lock, as its holder wrote it; a holder that has not written yet is still named as unknown.</summary>
    private static string Holder(string holderFile)
    {
        try
        {
            return File.Exists(holderFile) ? File.ReadAllText(holderFile).Trim() : "a command that has not said who it is yet";
        }
        catch (IOException)
        {
            return "a command whose name could not be read";
        }
    }
}
