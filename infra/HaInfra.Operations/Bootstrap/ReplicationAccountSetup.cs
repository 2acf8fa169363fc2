using System.Text.RegularExpressions;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Ensures the replication account on one server with binary logging off for the session: every server gets
/// the same account (so any replica can be promoted) without writing GTIDs of its own.
/// </summary>
internal static partial class ReplicationAccountSetup
{
    /// <summary>Returns true when it changed anything.</summary>
    public static async Task<bool> EnsureAsync(ISqlClient client, ReplicationAccount account, bool requireTls, IStepLog log, CancellationToken ct)
    {
        if (!SafeName().IsMatch(account.User) || !SafeName().IsMatch(account.HostPattern))
        {
            throw new ArgumentException($"replication account name '{account.User}'@'{account.HostPattern}' has characters that are not allowed");
        }

        var who = $"'{account.User}'@'{account.HostPattern}'";
        var requireSsl = requireTls ? " REQUIRE SSL" : "";
        var changes = new List<string>();
        await WithoutBinlogAsync(client, async () =>
        {
            var row = await client.QuerySingleAsync(SqlStatement.With(
                "SELECT authentication_string = PASSWORD(@password) AS same_password, ssl_type FROM mysql.user WHERE User = @user AND Host = @host",
                ("password", account.Password), ("user", account.User), ("host", account.HostPattern)), ct);
            if (row is null)
            {
                await client.ExecuteAsync(SqlStatement.With($"CREATE USER {who} IDENTIFIED BY @password{requireSsl}", ("password", account.Password)), ct);
                changes.Add("created");
            }
            else
            {
                if (row.Text("same_password") != "1")
                {
                    await client.ExecuteAsync(SqlStatement.With($"ALTER USER {who} IDENTIFIED BY @password", ("password", account.Password)), ct);
                    changes.Add("password reset");
                }

                if (requireTls && row.Text("ssl_type") is not ("ANY" or "X509" or "SPECIFIED"))
                {
                    await client.ExecuteAsync($"ALTER USER {who} REQUIRE SSL", ct);
                    changes.Add("now requires TLS");
                }
            }

            var grants = await GrantsAsync(client, who, ct);
            var missing = account.Privileges.Split(',', StringSplitOptions.TrimEntries).Where(p => !grants.Contains(p, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                await client.ExecuteAsync($"GRANT {string.Join(", ", missing)} ON *.* TO {who}", ct);
                changes.Add($"granted {string.Join(", ", missing)}");
            }
        }, ct);

        if (changes.Count > 0)
        {
            log.Step("account", $"{client.Server}: {who} {string.Join(", ", changes)} ({account.Privileges} only{(requireTls ? ", REQUIRE SSL" : "")}; not binlogged)");
        }

        return changes.Count > 0;
    }

    /// <summary>Runs <paramref name="body"/> with binary logging off for the session: no GTID of this server's own.</summary>
    public static async Task WithoutBinlogAsync(ISqlClient client, Func<Task> body, CancellationToken ct)
    {
        await client.ExecuteAsync("SET SESSION sql_log_bin = 0", ct);
        try
        {
            await body();
        }
        finally
        {
            await client.ExecuteAsync("SET SESSION sql_log_bin = 1", ct);
        }
    }

    /// <summary>SHOW GRANTS of <paramref name="who"/> ('user'@'host'), one grant per line.</summary>
    public static async Task<string> GrantsAsync(ISqlClient client, string who, CancellationToken ct) =>
        string.Join("\n", (await client.QueryAsync($"SHOW GRANTS FOR {who}", ct)).Select(g => g.Text(g.Columns.First())));

    [GeneratedRegex("^[A-Za-z0-9._%:-]+$")]
    private static partial Regex SafeName();
}
