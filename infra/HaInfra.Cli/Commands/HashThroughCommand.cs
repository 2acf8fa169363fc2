using HaInfra.Operations.Processes;

namespace HaInfra.Cli.Commands;

/// <summary>
/// `hainfra hash-through SHA256_FILE BYTES_FILE`: the backup agent's helper (stdin to stdout, sha256 and size into the
/// two files). Dispatched before everything else: it runs inside a backup's pipe, so it must never rebuild the
/// checkout's binary or print anything on stdout but the stream.
/// </summary>
public static class HashThroughCommand
{
    public const string Verb = "hash-through";

    public static int Run(string[] args)
    {
        if (args is not [Verb, { Length: > 0 } shaFile, { Length: > 0 } bytesFile])
        {
            Console.Error.WriteLine($"error: usage: hainfra {Verb} SHA256_FILE BYTES_FILE (got {args.Length - 1} argument(s)); it copies stdin to stdout and writes the sha256 and byte count of the stream into the two files.");
            return ExitCodes.InvalidInput;
        }

        HashThrough.Digest digest;
        try
        {
            digest = HashThrough.CopyStandardStreams();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {Verb}: the stream broke ({e.Message}): the next stage of the pipe stopped reading, or the previous one failed.");
            return ExitCodes.Failed;
        }

        try
        {
            File.WriteAllText(shaFile, digest.Sha256 + "\n");
            File.WriteAllText(bytesFile, digest.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {Verb}: {IoErrors.Describe(e)}\n  fix: check the path named above and its permissions.");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
