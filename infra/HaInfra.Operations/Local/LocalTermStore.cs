using System.Text.Json;
using System.Text.Json.Serialization;
using HaInfra.Operations.Failover;
using HaInfra.Operations.Json;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's term store: primary.json in the stack's state directory, changed only under an exclusive
/// flock of primary.lock (released by the kernel if the holder dies), written by rename so a reader never sees half
/// a file. Every `local` verb and every local monitor of the stack reads the live primary from here.
/// </summary>
public sealed class LocalTermStore : ITermStore
{
    private static readonly JsonSerializerOptions Json = OperationsJson.For(new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    private readonly string _file;
    private readonly string _lock;

    public LocalTermStore(LocalPaths paths)
    {
        _file = paths.TermFile;
        _lock = paths.TermLockFile;
    }

    public string Describe => _file;

    public Task<TermState> ReadAsync(CancellationToken ct = default) => Task.FromResult(Read());

    public async Task<TermState?> TryUpdateAsync(long expectedVersion, Func<TermState, TermState> change, CancellationToken ct = default)
    {
        using var held = await LockAsync(ct);
        var current = Read();
        if (current.Version != expectedVersion)
        {
            return null;
        }

        var next = change(current) with { Version = current.Version + 1 };
        var temp = _file + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(next, OperationsJson.Info<TermState>(Json)), ct);
        File.Move(temp, _file, overwrite: true);
        return next;
    }

    /// <summary>The state now; <see cref="TermState.Empty"/> before the first bootstrap recorded a term.</summary>
    public TermState Read() =>
        File.Exists(_file) ? JsonSerializer.Deserialize(File.ReadAllText(_file), OperationsJson.Info<TermState>(Json)) ?? TermState.Empty : TermState.Empty;

    private async Task<FileStream> LockAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_lock)!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(_lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                await Task.Delay(5, ct);
            }
            catch (IOException)
            {
                throw new OperationFailedException($"{_lock} stayed locked for {LockWait.TotalSeconds:0} s.", "another hainfra process is stuck holding it; find it with fuser, then run this again.");
            }
        }
    }
}
