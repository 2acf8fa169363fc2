using System.Security.Cryptography;

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

    /// <summary>Downloads an object to a file and checks its size and sha256 against the manifest.</summary>
    public async Task<string> DownloadVerifiedAsync(BackupManifest manifest, string workDir, CancellationToken ct)
    {
        var file = Path.Combine(workDir, Path.GetFileName(manifest.DataKey));
        await _storage.DownloadAsync(manifest.DataKey, file, ct);
        await using var stream = File.OpenRead(file);
        CheckStoredBytes(manifest, stream.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)));
        return file;
    }

    /// <summary>age -d | zstd -d | <paramref name="sink"/>, from a downloaded (already checked) file.</summary>
    public async Task DecryptIntoAsync(BackupManifest manifest, string file, string sink, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync("/bin/bash",
            ["-c", $"set -o pipefail; age --decrypt --identity \"$0\" \"$1\" | zstd --decompress --quiet --stdout | {sink}", _identityFile, file], ct);
        if (result.ExitCode != 0)
        {
            throw DecryptFailure(manifest, result.ExitCode, result.Stderr);
        }
    }

    private static void CheckStoredBytes(BackupManifest manifest, string? sizeText, string? sha)
    {
        var size = long.TryParse(sizeText, out var n) ? n : -1;
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

    private OperationFailedException DecryptFailure(BackupManifest manifest, int exitCode, string stderr) =>
        stderr.Contains("no identity matched", StringComparison.Ordinal)
            ? new OperationFailedException(
                $"cannot decrypt {manifest.DataKey}: the identity in {_identityFile} is not one of its recipients ({string.Join(", ", manifest.Recipients)}).",
                "use the private key of one of those recipients (--identity FILE); database hosts never have one.")
            : new OperationFailedException($"restoring {manifest.DataKey} failed (exit {exitCode}): {stderr.Trim()}",
                "see the tool's message above; the stored object passed its size and sha256 checks, so suspect the tools or the disk.");

    private static string? ReadTrimmed(string file) => File.Exists(file) ? File.ReadAllText(file).Trim() : null;

    /// <summary>
    /// Streams an object from storage through age and zstd into <paramref name="sink"/> (a shell command reading
    /// stdin). age authenticates every chunk and the stream's end, so altered or truncated bytes fail the
    /// decryption. With <paramref name="checkDigest"/> the stored bytes are also counted and hashed on the way and
    /// compared with the manifest (verify); without it (restore) that costs an extra pipe stage, so it is done only
    /// after a failure, to name the cause. The sink must write somewhere new: on failure the caller discards it.
    /// </summary>
    public async Task RestoreStreamAsync(BackupManifest manifest, string workDir, string sink, bool checkDigest, CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        var shaFile = Path.Combine(workDir, "stream.sha256");
        var sizeFile = Path.Combine(workDir, "stream.size");
        var digest = checkDigest ? $"tee >(openssl dgst -sha256 -r | cut -d' ' -f1 > '{shaFile}') >(wc -c > '{sizeFile}') | " : "";
        var (exit, stderr) = await RunStorageShellAsync(
            $"set -o pipefail; rclone cat --quiet \"$0\" | {digest}age --decrypt --identity \"$1\" | zstd --decompress --quiet --stdout | {sink}; status=$?; wait; exit $status",
            [_storage.Location(manifest.DataKey), _identityFile], ct);
        if (checkDigest)
        {
            CheckStoredBytes(manifest, ReadTrimmed(sizeFile), ReadTrimmed(shaFile));
        }
        else if (exit != 0)
        {
            await DiagnoseAsync(manifest, workDir, ct);
        }

        if (exit != 0)
        {
            throw DecryptFailure(manifest, exit, stderr);
        }
    }

    /// <summary>After a failed restore stream: if the stored bytes differ from the manifest, that is the cause to report.</summary>
    private async Task DiagnoseAsync(BackupManifest manifest, string workDir, CancellationToken ct)
    {
        var shaFile = Path.Combine(workDir, "diagnose.sha256");
        var sizeFile = Path.Combine(workDir, "diagnose.size");
        await RunStorageShellAsync(
            $"rclone cat --quiet \"$0\" | tee >(openssl dgst -sha256 -r | cut -d' ' -f1 > '{shaFile}') | wc -c > '{sizeFile}'; wait",
            [_storage.Location(manifest.DataKey)], ct);
        CheckStoredBytes(manifest, ReadTrimmed(sizeFile), ReadTrimmed(shaFile));
    }

    private async Task<(int Exit, string Stderr)> RunStorageShellAsync(string script, IEnumerable<string> args, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync("/bin/bash", ["-c", script, .. args], ct, _storage.Environment());
        return (result.ExitCode, result.Stderr);
    }

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
