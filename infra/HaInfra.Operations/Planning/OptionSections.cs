namespace HaInfra.Operations.Planning;

/// <summary>Which option-file sections the server reads and which only clients read.</summary>
public static class OptionSections
{
    private static readonly HashSet<string> Client = new(StringComparer.Ordinal)
    {
        "client", "mysql", "mariadb_client", "mariadb-client", "mysqldump", "mariadb-dump", "mysqladmin", "mariadb-admin", "mariabackup", "xtrabackup",
        // Galera's SST script reads [sst] at each state transfer.
        "sst",
    };

    /// <summary>A change here needs no server restart: a client (or the SST script) reads it when it next starts.</summary>
    public static bool IsClient(string section) => Client.Contains(section);

    /// <summary>mariadbd reads [mysqld], [server], [mariadb], [mariadbd], [client-server], [galera] and their -10.11 forms.</summary>
    public static bool IsServer(string section)
    {
        var name = section.Replace('_', '-');
        var dash = name.LastIndexOf('-');
        if (dash > 0 && char.IsAsciiDigit(name[^1]) && name[(dash + 1)..].All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            name = name[..dash];
        }

        return name is "mysqld" or "server" or "mariadb" or "mariadbd" or "client-server" or "galera";
    }
}
