namespace HaInfra.Model;

/// <summary>The flavour/series pairs a stack may name. Statement forms per version live in Operations.</summary>
public static class SupportedServers
{
    private static readonly Dictionary<ServerFlavor, ServerVersion[]> Series = new()
    {
        [ServerFlavor.MariaDb] = [new(10, 6, null), new(10, 11, null), new(11, 4, null)],
        [ServerFlavor.MySql] = [new(8, 0, null), new(8, 4, null)],
    };

    public static ServerVersion Default(ServerFlavor flavor) =>
        flavor == ServerFlavor.MariaDb ? new(10, 11, null) : new(8, 4, null);

    /// <summary>MySQL 8.0 gained log_replica_updates, replica_* names and innodb_redo_log_capacity only by 8.0.30.</summary>
    public static ServerVersion? MinimumPatch(ServerFlavor flavor, ServerVersion version) =>
        flavor == ServerFlavor.MySql && version.Series == new ServerVersion(8, 0, null) ? new ServerVersion(8, 0, 30) : null;

    public static bool IsSupported(ServerFlavor flavor, ServerVersion version) =>
        Series[flavor].Contains(version.Series);

    public static string Choices(ServerFlavor flavor) => string.Join(", ", Series[flavor].Select(v => v.ToString()));
}
