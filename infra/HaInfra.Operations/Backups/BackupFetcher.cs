using System.Security.Cryptography;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Backups;

/// <summary>
/// Brings a stored object back: download, check its size and sha256 against the manifest (so corruption and
/// truncation are caught before anything is decrypted), then decrypt with the operator's age identity, decompress,
/// and pipe into a sink (mbstream, a file, the mariadb client).
/// </summary>
public sealed class BackupFetcher
{
    private readonly Rclone _storage;
    private readonly string _identityFile;

    public BackupFetcher(Rclone storage, string identityFile)
    {
        _storage = storage;
        _identityFile = identityFile;
    }

    /// <summary>
    /// Streams an object from storage through age and zstd into <paramref name="output"/>, hashing and counting the
    /// stored bytes on the way: one pass, where downloading, hashing the file and decrypting it read it three times.
    /// The output is only to be used once this returns (the digest is checked after the stream ends).
    /// </summary>
    public async Task FetchToFileAsync(BackupManifest manifest, string output, CancellationToken ct)
    {
        var outcome = await Decrypting(manifest, checkDigest: true, new CommandSpec("zstd", ["--decompress", "--quiet", "--force", "-o", output])).RunAsync(ct);
        CheckOutcome(manifest, outcome, checkDigest: true);
    }

    private static void CheckStoredBytes(BackupManifest manifest, long? size, string? sha)
    {
        if (size != manifest.StoredBytes)
        {
            throw new OperationFailedException(
                $"{manifest.DataKey} is {size} bytes but its manifest says {manifest.StoredBytes}: the stored object is {(size < manifest.StoredBytes ? "truncated" : "longer than what was written")}.",
                "do not restore from it; use another backup, and check the storage for what altered it.");
        }

        if (sha != manifest.Sha256)
        {
            throw new OperationFailedException(
                $"{manifest.DataKey} has sha256 {sha}, but its manifest recorded {manifest.Sha256}: the stored bytes changed after the backup was written (corruption or tampering).",
                "do not restore from it; use another backup, and check the storage for what altered it.");
        }
    }

    private OperationFailedException DecryptFailure(BackupManifest manifest, CommandResult failed) =>
        failed.StderrTail.Contains("no identity matched", StringComparison.Ordinal)
            ? new OperationFailedException(
                $"cannot decrypt {manifest.DataKey}: the identity in {_identityFile} is not one of its recipients ({string.Join(", ", manifest.Recipients)}).",
                "use the private key of one of those recipients (--identity FILE); database hosts never have one.")
            : new OperationFailedException($"restoring {manifest.DataKey} failed: {failed.Describe()}",
                "see the tool's message above; the stored object passed its size and sha256 checks, so suspect the tools or the disk.");

    /// <summary>
    /// Streams an object from storage through age and zstd into <paramref name="sink"/> (a program reading stdin).
    /// age authenticates every chunk and the stream's end, so altered or truncated bytes fail the decryption. With
    /// <paramref name="checkDigest"/> the stored bytes are also counted and hashed on the way and compared with the
    /// manifest (verify); without it (restore) they move in the kernel, and are hashed only after a failure, to name
    /// the cause. The sink must write somewhere new: on failure the caller discards it.
    /// </summary>
    public async Task RestoreStreamAsync(BackupManifest manifest, CommandSpec sink, bool checkDigest, CancellationToken ct)
    {
        var outcome = await Decrypting(manifest, checkDigest,
            new CommandSpec("zstd", ["--decompress", "--quiet", "--stdout"]), sink).RunAsync(ct);
        if (!checkDigest && !outcome.Succeeded && !ReferenceEquals(outcome.Failed, outcome.Stages[0]))
        {
            await DiagnoseAsync(manifest, ct);
        }

        CheckOutcome(manifest, outcome, checkDigest);
    }

    /// <summary>A download that failed is named first; then stored bytes that differ from the manifest; then the tool that failed.</summary>
    private void CheckOutcome(BackupManifest manifest, PipelineOutcome outcome, bool checkDigest)
    {
        if (outcome.Failed is { } downloadFailed && ReferenceEquals(downloadFailed, outcome.Stages[0]))
        {
            throw new OperationFailedException($"downloading {manifest.DataKey} failed: {downloadFailed.Describe()}",
                "check that the backup storage is reachable (backup list), then run the command again.");
        }

        if (checkDigest)
        {
            CheckStoredBytes(manifest, outcome.DigestBytes, outcome.Sha256);
        }

        if (outcome.Failed is { } failed)
        {
            throw DecryptFailure(manifest, failed);
        }
    }

    /// <summary>After a failed restore stream: if the stored bytes differ from the manifest, that is the cause to report.</summary>
    private async Task DiagnoseAsync(BackupManifest manifest, CancellationToken ct)
    {
        var outcome = await new ProcessPipeline(Download(manifest)) { Environment = _storage.Environment(), DigestAfter = 0 }.RunAsync(ct);
        CheckStoredBytes(manifest, outcome.DigestBytes, outcome.Sha256);
    }

    private CommandSpec Download(BackupManifest manifest) => new("rclone", ["cat", "--quiet", _storage.Location(manifest.DataKey)]);

    /// <summary>rclone cat | age -d | <paramref name="after"/>, the download hashed on its way when <paramref name="checkDigest"/>.</summary>
    private ProcessPipeline Decrypting(BackupManifest manifest, bool checkDigest, params CommandSpec[] after) =>
        new([Download(manifest), new CommandSpec("age", ["--decrypt", "--identity", _identityFile]), .. after])
        {
            Environment = _storage.Environment(),
            DigestAfter = checkDigest ? 0 : null,
        };

    /// <summary>Decrypts a small encrypted object (checksums) to text.</summary>
    public async Task<string?> DecryptTextAsync(string key, string workDir, CancellationToken ct)
    {
        var file = Path.Combine(workDir, Path.GetFileName(key));
        try
        {
            await _storage.DownloadAsync(key, file, ct);
        }
        catch (OperationFailedException)
        {
            return null;
        }

        var result = await ProcessRunner.RunAsync("age", ["--decrypt", "--identity", _identityFile, file], ct);
        return result.ExitCode == 0 ? result.Stdout : null;
    }
}
