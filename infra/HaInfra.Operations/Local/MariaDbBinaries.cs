namespace HaInfra.Operations.Local;

/// <summary>Finds the MariaDB server programs from Debian's packages (/usr/sbin is not on every PATH).</summary>
public sealed record MariaDbBinaries(string Server, string InstallDb)
{
    private static readonly string[] ExtraDirs = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];

    public static MariaDbBinaries? Find()
    {
        var server = Which("mariadbd");
        var installDb = Which("mariadb-install-db");
        return server is null || installDb is null ? null : new MariaDbBinaries(server, installDb);
    }

    public static MariaDbBinaries Require() =>
        Find() ?? throw new OperationFailedException(
            "the MariaDB server programs (mariadbd, mariadb-install-db) are not installed.",
            "run scripts/install-prereqs as root (apt-get install mariadb-server mariadb-client mariadb-backup).");

    public static string? Which(string program)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirs);
        return dirs.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }
}
