using System.Diagnostics;

namespace HaInfra.Tests.Shared;

/// <summary>Finds server binaries for tests that need them; a missing binary is the only reason such a test skips.</summary>
internal static class ServerBinaries
{
    public static string? MariaDbServer { get; } = Which("mariadbd");

    /// <summary>A MySQL (not MariaDB) mysqld; Debian's MariaDB packages install a mysqld link to mariadbd.</summary>
    public static string? MySqlServer { get; } = FindMySql();

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin"])
            .Select(d => System.IO.Path.Combine(d, program))
            .FirstOrDefault(File.Exists);

    private static string? FindMySql()
    {
        var path = Which("mysqld");
        if (path is null)
        {
            return null;
        }

        var (_, output) = Run(path, "--version");
        return output.Contains("MySQL", StringComparison.Ordinal) && !output.Contains("MariaDB", StringComparison.Ordinal) ? path : null;
    }

    public static (int ExitCode, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that needs Debian's mariadbd; skipped, with the reason, only when it is not installed.</summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (ServerBinaries.MariaDbServer is null)
        {
            Skip = "mariadbd is not installed (run scripts/install-prereqs as root)";
        }
    }
}

/// <summary>A fact that needs a MySQL server binary, which Debian 12 does not package.</summary>
public sealed class MySqlFactAttribute : FactAttribute
{
    public MySqlFactAttribute()
    {
        if (ServerBinaries.MySqlServer is null)
        {
            Skip = "no MySQL mysqld binary on this machine (Debian 12 packages MariaDB only); MySQL my.cnf files are golden-tested instead";
        }
    }
}

/// <summary>A fact that needs mariadbd and network namespaces (root and ip(8)); skipped, with the reason, only without them.</summary>
public sealed class NamespaceFactAttribute : FactAttribute
{
    public NamespaceFactAttribute()
    {
        if (ServerBinaries.MariaDbServer is null)
        {
            Skip = "mariadbd is not installed (run scripts/install-prereqs as root)";
        }
        else if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/ip"))
        {
            Skip = "network namespaces need root and ip(8) from iproute2";
        }
    }
}

/// <summary>
/// A fact that needs shellcheck (installed by scripts/install-prereqs). Skipped, with the reason, only outside CI:
/// .ci/run sets HAINFRA_CI=1, and there a missing shellcheck fails the test instead of skipping it.
/// </summary>
public sealed class ShellcheckFactAttribute : FactAttribute
{
    public ShellcheckFactAttribute()
    {
        if (ServerBinaries.Which("shellcheck") is null && Environment.GetEnvironmentVariable("HAINFRA_CI") != "1")
        {
            Skip = "shellcheck is not installed (run scripts/install-prereqs as root); in CI (HAINFRA_CI=1) this fails instead";
        }
    }
}

/// <summary>
/// A fact that needs promtool (Debian's prometheus package, installed by scripts/install-prereqs). Skipped, with the
/// reason, only outside CI: with HAINFRA_CI=1 a missing promtool fails the test instead.
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (ServerBinaries.Which("promtool") is null && Environment.GetEnvironmentVariable("HAINFRA_CI") != "1")
        {
            Skip = "promtool is not installed (run scripts/install-prereqs as root); in CI (HAINFRA_CI=1) this fails instead";
        }
    }
}

/// <summary>
/// A fact that needs mariadbd and Debian's prometheus, prometheus-mysqld-exporter and prometheus-node-exporter.
/// Skipped, with the reason, only outside CI; with HAINFRA_CI=1 missing packages fail the test instead.
/// </summary>
public sealed class MonitoringFactAttribute : FactAttribute
{
    public MonitoringFactAttribute()
    {
        string[] programs = ["/usr/bin/prometheus", "/usr/bin/prometheus-mysqld-exporter", "/usr/bin/prometheus-node-exporter"];
        if (ServerBinaries.MariaDbServer is null)
        {
            Skip = "mariadbd is not installed (run scripts/install-prereqs as root)";
        }
        else if (programs.Any(p => !File.Exists(p)) && Environment.GetEnvironmentVariable("HAINFRA_CI") != "1")
        {
            Skip = "prometheus and its exporters are not installed (run scripts/install-prereqs as root); in CI (HAINFRA_CI=1) this fails instead";
        }
    }
}

/// <summary>
/// A fact that needs mariadbd and the Galera provider (Debian's galera-4, installed by scripts/install-prereqs). Skipped,
/// with the reason, only outside CI; with HAINFRA_CI=1 a missing provider fails the test instead.
/// </summary>
public sealed class GaleraFactAttribute : FactAttribute
{
    public const string Provider = "/usr/lib/galera/libgalera_smm.so";

    public GaleraFactAttribute()
    {
        if (ServerBinaries.MariaDbServer is null)
        {
            Skip = "mariadbd is not installed (run scripts/install-prereqs as root)";
        }
        else if (!File.Exists(Provider) && Environment.GetEnvironmentVariable("HAINFRA_CI") != "1")
        {
            Skip = $"the Galera provider {Provider} is not installed (galera-4; run scripts/install-prereqs as root); in CI (HAINFRA_CI=1) this fails instead";
        }
    }
}
