namespace HaInfra.Operations.Local;

/// <summary>
/// Where the local target keeps one stack: outside git, one directory per host with its own datadir, socket,
/// pid file, error log and option files. Unix socket paths are limited to 107 bytes, so the layout stays shallow.
/// </summary>
public sealed class LocalPaths
{
    public const int MaxSocketPath = 107;

    public LocalPaths(string stateRoot, string stack)
    {
        Root = Path.GetFullPath(Path.Combine(stateRoot, stack));
    }

    public string Root { get; }

    public string StateFile => Path.Combine(Root, "state.json");

    public string LockFile => Path.Combine(Root, ".lock");

    /// <summary>The term store: which host is the live primary, in which term (see <see cref="LocalTermStore"/>).</summary>
    public string TermFile => Path.Combine(Root, "primary.json");

    public string TermLockFile => Path.Combine(Root, "primary.lock");

    /// <summary>Transactions rewound on returning old primaries, kept for the operator.</summary>
    public string RejoinDir => Path.Combine(Root, "rejoined");

    /// <summary>The writer/reader endpoint (HAProxy): config, pid file, runtime API socket, log.</summary>
    public string EndpointDir => Path.Combine(Root, "endpoint");

    /// <summary>The local Prometheus and the exporters: configs, rules, pid files, logs, Prometheus' data.</summary>
    public string MonitoringDir => Path.Combine(Root, "monitoring");

    /// <summary>The failover monitor's pid file and log.</summary>
    public string MonitorDir => Path.Combine(Root, "monitor");

    public string SecretsDir => Path.Combine(Root, "secrets");

    public string ReplicationPasswordFile => Path.Combine(SecretsDir, "replication.password");

    public string TlsDir => Path.Combine(Root, "tls");

    public string ArchivePasswordFile => Path.Combine(SecretsDir, "binlog-archive.password");

    /// <summary>The drill writer's application account (no SUPER, so read_only stops it like any application).</summary>
    public string AppPasswordFile => Path.Combine(SecretsDir, "app.password");

    /// <summary>mysqlbinlog's client options for the archive account: user, password, TLS. Mode 0600.</summary>
    public string ArchiveClientCnf => Path.Combine(SecretsDir, "binlog-archive.cnf");

    /// <summary>The local operator's age identity: it can read the local target's backups (hosts cannot).</summary>
    public string BackupIdentityFile => Path.Combine(SecretsDir, "backup-identity.txt");

    public string AgentDir => Path.Combine(Root, "agent");

    public HostPaths Host(string name) => new(Path.Combine(Root, "hosts", name));

    /// <summary>The default state root: $HAINFRA_STATE_DIR, else $XDG_STATE_HOME/hainfra, else ~/.local/state/hainfra.</summary>
    public static string DefaultStateRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("HAINFRA_STATE_DIR");
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            return explicitRoot;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var baseDir = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(baseDir, "hainfra");
    }
}

/// <summary>One local host's files.</summary>
public sealed record HostPaths(string Dir)
{
    /// <summary>The rendered my.cnf, byte for byte what a cloud host gets.</summary>
    public string RenderedCnf => Path.Combine(Dir, "my.cnf");

    /// <summary>Includes <see cref="RenderedCnf"/>, then overrides only paths, ports and memory sizes.</summary>
    public string LocalCnf => Path.Combine(Dir, "local.cnf");

    public string DataDir => Path.Combine(Dir, "data");

    public string Socket => Path.Combine(Dir, "mysqld.sock");

    public string PidFile => Path.Combine(Dir, "mysqld.pid");

    public string ErrorLog => Path.Combine(Dir, "error.log");

    /// <summary>This host's textfile-collector directory: what the agent and the monitor report for the alert rules.</summary>
    public string MetricsDir => Path.Combine(Dir, "metrics");

    public string TmpDir => Path.Combine(Dir, "tmp");

    /// <summary>Written after mariadb-install-db succeeded; a datadir without it is a half-made one.</summary>
    public string InitializedMarker => Path.Combine(Dir, "initialized");
}
