namespace HaInfra.Model;

/// <summary>
/// A host's size in provider-neutral terms. Memory drives my.cnf (buffer pool, connections);
/// the cloud synthesizers map the name to an instance type.
/// </summary>
public sealed record SizeClass(string Name, int Vcpus, int MemoryGb)
{
    public static readonly IReadOnlyList<SizeClass> All =
    [
        new("small", 2, 4),
        new("medium", 4, 16),
        new("large", 8, 32),
        new("xlarge", 16, 64),
    ];

    public static string Choices => string.Join(", ", All.Select(s => s.Name));

    public static SizeClass? Find(string? name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>InnoDB buffer pool: about 70% of memory on a host that runs only the database.</summary>
    public int BufferPoolMb => MemoryGb * 1024 * 7 / 10;

    public int MaxConnections => Math.Min(4000, 250 * MemoryGb / 4 + 100);
}
