using System.Text.RegularExpressions;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Locking;

/// <summary>
/// The stack's operation lock, held on its servers themselves: two operators on different machines (whose state
/// directories cannot see each other) never run a locked operation (the cloud bootstrap, so far) on the same hosts at
/// once. It is a MariaDB named lock (GET_LOCK, without waiting) on every host that answers, taken in config order, so
/// two operators meet at the first host both reach: one holds it, the other is refused there. Hosts that do not answer
/// are not locked (and logged); the operation itself needs them, and says so.
///
/// A named lock lives with its session: when the holder dies its connection closes and the server frees the lock;
/// a holder whose machine vanished is cut off by the session's wait_timeout. Nothing is written to the servers (a row
/// would be an errant transaction on a replica, or make the hosts' checksums differ): the holder names itself in the
/// statement its session keeps running, which a refused operator reads from the process list.
/// </summary>
public sealed partial class HostLock : IAsyncDisposable
{
    public const string Name = "hainfra.operation";

    /// <summary>How long each keep-alive statement sleeps: also the longest a release waits for the session to be free.</summary>
    private const double BeatSeconds = 0.5;

    /// <summary>A session whose client went silent (machine lost, network cut) is closed by the server after this.</summary>
    private const int IdleTimeoutSeconds = 30;

    private const string Marker = "hainfra lock holder: ";

    private readonly List<Held> _held;

    private HostLock(List<Held> held) => _held = held;

    /// <summary>
    /// Takes the lock on every host of <paramref name="hostsInOrder"/> that answers, or none: a host where another
    /// session holds it ends the attempt with an <see cref="OperationFailedException"/> naming that holder.
    /// </summary>
    public static async Task<HostLock> AcquireAsync(
        ISqlConnector connector, IReadOnlyList<(string Host, SqlEndpoint Endpoint)> hostsInOrder, string holder, IStepLog log, CancellationToken ct)
    {
        var statement = KeepAlive(holder);
        var held = new List<Held>();
        var silent = new List<string>();
        try
        {
            foreach (var (host, endpoint) in hostsInOrder)
            {
                ISqlClient client;
                try
                {
                    client = await connector.ConnectAsync(endpoint, ct);
                }
                catch (SqlOperationException e) when (e.Error is SqlError.CantConnectTcp or SqlError.CantConnectSocket or SqlError.LostConnection or SqlError.ServerGone)
                {
                    // An operation reaching fewer hosts cannot act on the others; the operation itself says what it needs.
                    silent.Add(host);
                    continue;
                }

                try
                {
                    await client.ExecuteAsync($"SET SESSION wait_timeout = {IdleTimeoutSeconds}", ct);
                    if (await client.ScalarAsync($"SELECT GET_LOCK('{Name}', 0)", ct) != "1")
                    {
                        var other = await HolderAsync(client, ct);
                        throw new OperationFailedException(
                            $"another operation holds this stack's lock on {host}: {other}.",
                            $"wait for it to end, then run this again (a holder that died frees it as its connection closes, or within {IdleTimeoutSeconds} s if its machine is gone).");
                    }
                }
                catch
                {
                    await client.DisposeAsync();
                    throw;
                }

                held.Add(new Held(host, client, statement, log));
            }
        }
        catch
        {
            await ReleaseAllAsync(held);
            throw;
        }

        log.Step("lock", $"this stack's operation lock held on {(held.Count == 0 ? "no host" : string.Join(", ", held.Select(h => h.Host)))}" +
            (silent.Count == 0 ? "" : $" ({string.Join(", ", silent)} did not answer)"));
        return new HostLock(held);
    }

    /// <summary>Who holds the lock on this server, from the statement its session runs (or its connection, if it is between two).</summary>
    public static async Task<string> HolderAsync(ISqlClient client, CancellationToken ct)
    {
        SqlRow? session = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            session = await client.QuerySingleAsync(
                $"SELECT ID, USER, HOST, INFO FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK('{Name}')", ct);
            if (session is null)
            {
                return "a session that has just released it";
            }

            if (session.Text("INFO") is { } info && HolderText().Match(info) is { Success: true } named)
            {
                return named.Groups[1].Value;
            }

            await Task.Delay(50, ct);
        }

        return $"connection {session!.Text("ID")} of {session.Text("USER")} from {session.Text("HOST")}";
    }

    public async ValueTask DisposeAsync()
    {
        // A loss was already said when it happened (Held.KeepAliveAsync).
        await ReleaseAllAsync(_held);
    }

    private static async Task ReleaseAllAsync(List<Held> held)
    {
        // Every loop told to stop first, so the release waits one beat in all, not one per host.
        foreach (var h in held)
        {
            h.Stop();
        }

        foreach (var h in held)
        {
            await h.ReleaseAsync();
        }

        held.Clear();
    }

    /// <summary>The statement the holding session keeps running; the holder text cannot break out of its quotes.</summary>
    private static string KeepAlive(string holder)
    {
        var safe = new string([.. holder.Take(300).Select(c => c is '\'' or '\\' || char.IsControl(c) ? '?' : c)]);
        return $"SELECT SLEEP({BeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}) AS hainfra_lock, '{Marker}{safe}' AS holder";
    }

    [GeneratedRegex(Marker + "([^']*)'")]
    private static partial Regex HolderText();

    /// <summary>One host's lock: its session, kept busy by a loop until the release.</summary>
    private sealed class Held
    {
        private readonly ISqlClient _client;
        private readonly IStepLog _log;
        private volatile bool _stopping;
        private readonly Task<bool> _loop;

        public Held(string host, ISqlClient client, string statement, IStepLog log)
        {
            Host = host;
            _client = client;
            _log = log;
            _loop = Task.Run(() => KeepAliveAsync(statement));
        }

        public string Host { get; }

        public void Stop() => _stopping = true;

        /// <summary>Stops the loop, frees the lock (unless it was lost, which the loop said) and closes the session.</summary>
        public async Task ReleaseAsync()
        {
            _stopping = true;
            try
            {
                if (!await _loop)
                {
                    await _client.ExecuteAsync($"DO RELEASE_LOCK('{Name}')", CancellationToken.None);
                }
            }
            catch (SqlOperationException)
            {
                // Closing the session below frees the lock as well.
            }
            finally
            {
                await _client.DisposeAsync();
            }
        }

        /// <summary>
        /// Keeps the session running the holder's statement; its statement is never cancelled mid-way (a beat is
        /// short). A failure ends the loop and is said at once: the session, and with it the lock, may be gone.
        /// </summary>
        private async Task<bool> KeepAliveAsync(string statement)
        {
            while (!_stopping)
            {
                try
                {
                    await _client.QueryAsync(statement, CancellationToken.None);
                }
                catch (Exception e) when (e is SqlOperationException or InvalidOperationException or IOException)
                {
                    _log.Warn($"the operation lock on {Host} may be lost ({e.Message}); another operator could act on {Host} until this operation ends.");
                    return true;
                }
            }

            return false;
        }
    }
}
