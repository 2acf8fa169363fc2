using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Seeding;

/// <summary>The donor as the seed reads it: where its server listens and which option file it runs with.</summary>
public sealed record SeedSource(string Host, SqlEndpoint Admin, string DefaultsFile, string Socket, string TmpDir);

/// <summary>
/// The host being seeded, as the realization (local target, cloud agent) exposes it. The seed only writes here.
/// </summary>
public interface ISeedTarget
{
    string Host { get; }

    string DataDir { get; }

    SqlEndpoint Admin { get; }

    /// <summary>Records that a seed started, so an interrupted one is detected and redone.</summary>
    void BeginSeed(string method, string donor);

    /// <summary>Stops the target's server if it runs and empties its datadir.</summary>
    Task ResetAsync(CancellationToken ct);

    /// <summary>Creates empty system tables (the logical method loads into a running, empty server).</summary>
    Task InitializeEmptyAsync(CancellationToken ct);

    Task StartAsync(CancellationToken ct);

    /// <summary>Marks the datadir complete; only after this does a later run treat the host as initialized.</summary>
    void CompleteSeed();
}

/// <summary>Paths of the MariaDB client-side tools a seed runs.</summary>
public sealed record SeedTools(string Backup, string Mbstream, string Dump, string Client)
{
    public static SeedTools Find()
    {
        string Require(string name) => Local.MariaDbBinaries.Which(name) ?? throw new OperationFailedException(
            $"{name} is not installed.", "run scripts/install-prereqs as root (mariadb-backup and mariadb-client packages).");
        return new SeedTools(Require("mariabackup"), Require("mbstream"), Require("mariadb-dump"), Require("mariadb"));
    }
}
