using System.Text;
using HaInfra.Model;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Processes;
using HaInfra.Operations.Replication;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Failover;

/// <summary>How a server rejoined: as it was, by rewinding its own tail (saved for the operator), or by a reseed.</summary>
public sealed record RejoinResult(string Host, string How, GtidPosition Rewound, string? SavedIn);

/// <summary>The tools rejoin runs on a host, and where it keeps what it rewinds.</summary>
/// <param name="Reseed">Rebuilds the host from a donor when its tail cannot be rewound (DDL in it, binlogs gone).</param>
public sealed record RejoinHost(IHostRunner Runner, string BinlogTool, string Client, string SaveRoot, Func<string, CancellationToken, Task> Reseed);

/// <summary>
/// Brings a server back into the topology as a replica of the live primary, without silently losing anything. Its
/// GTID history is compared with the primary's: a server with nothing of its own simply follows; one holding
/// transactions nobody else has (an old primary's tail after a crash or a partition) has them rewound with
/// mariadb-binlog --flashback, after both the tail and the flashback are saved to a directory the operator can
/// inspect; a tail flashback cannot reverse (DDL, missing binlogs) is saved and the server reseeded.
/// </summary>
public sealed class Rejoin
{
    private readonly RoleChangeContext _ctx;
    private readonly RejoinHost _host;

    public Rejoin(RoleChangeContext ctx, RejoinHost host)
    {
        _ctx = ctx;
        _host = host;
    }

    public async Task<RejoinResult> RunAsync(string name, CancellationToken ct = default)
    {
        var state = await _ctx.Terms.ReadAsync(ct);
        var live = _ctx.Topology.WithPrimary(LivePrimary.Decide(_ctx.Topology, state.Current, new Dictionary<string, TermRecord?>()).Primary.Name);
        if (live.Primary.Name == name)
        {
            throw new OperationFailedException($"{name} is the live primary ({state.Current}); only a replica rejoins.", "to make it a replica, switch over to another host first.");
        }

        await using var server = await _ctx.Connector.ConnectAsync(_ctx.Admin[name], ct);
        await using var primary = await _ctx.Connector.ConnectAsync(_ctx.Admin[live.Primary.Name], ct);
        var ours = await ServerProbe.ReadAsync(server, ct);
        var theirs = await ServerProbe.ReadAsync(primary, ct);
        var dialect = ServerDialects.For(theirs.Flavor, theirs.Version);

        // Fence first: a returning server must never take writes while it is being examined.
        var fenced = 0;
        if (!ours.ReadOnly)
        {
            fenced = await ServerRoles.FenceWritesAsync(server, TimeSpan.FromSeconds(5), ct);
            _ctx.Log.Step("fence", $"{name} was writable: read-only now, {fenced} client session(s) killed");
            ours = await ServerProbe.ReadAsync(server, ct);
        }

        var tail = BinlogTail.Between(ours.BinlogState, theirs.BinlogState);
        var rewound = GtidPosition.Empty;
        string? saved = null;
        var how = "followed: it holds nothing the primary lacks";
        if (tail is null || !tail.IsEmpty)
        {
            var errant = ours.BinlogState.NotIn(theirs.BinlogState);
            saved = NewSaveDir(name);
            _ctx.Log.Step("compare", $"{name} holds transactions {live.Primary.Name} never had: {errant}");
            var rewind = tail is null ? null : await TryRewindAsync(server, name, ours, tail, saved, ct);
            if (rewind is null)
            {
                await SaveWholeAsync(server, name, ours, saved, errant, ct);
                _ctx.Log.Step("reseed", $"{name}: its tail cannot be rewound; it is saved in {saved}, and the server is rebuilt from a donor");
                await _host.Reseed(name, ct);
                return new RejoinResult(name, "reseeded: its tail could not be rewound (saved first)", errant, saved);
            }

            rewound = errant;
            how = $"rewound {errant} with flashback (saved in {saved}), then followed";
            ours = await ServerProbe.ReadAsync(server, ct);
        }

        var source = _ctx.SourceFor(live.Primary.Name);
        var semiSync = live.SiteOf(live.Host(name)).Mode == ReplicationMode.SemiSync;
        var line = await ServerRoles.FollowAsync(server, source, theirs.BinlogState, semiSync, dialect, ct);
        var target = GtidPosition.Parse(await primary.ScalarAsync("SELECT @@gtid_binlog_pos", ct));
        if (!await ServerRoles.WaitAppliedAsync(server, target, TimeSpan.FromSeconds(60), ct))
        {
            var channel = (await ServerProbe.ReadAsync(server, ct)).Channel;
            throw new OperationFailedException(
                $"{name} follows {live.Primary.Name} but did not reach '{target}' within 60 s (IO {channel?.IoRunning}, SQL error {channel?.LastSqlErrno}: {channel?.LastSqlError}).",
                $"look at local status; if it reports an SQL error, run local reseed {name}.");
        }

        _ctx.Log.Step("rejoin", $"{name}: {line}; caught up with {live.Primary.Name} at '{target}'");
        if (semiSync && !theirs.SemiSync.SourceEnabled && live.PrimaryWaitsForSemiSync)
        {
            await primary.ExecuteAsync($"SET GLOBAL {dialect.SemiSyncSourceVariable} = ON", ct);
            _ctx.Log.Step("primary", $"{live.Primary.Name}: semi-sync source on again ({name} acknowledges)");
        }

        // The active of an active-passive pair replicates from its passive too: the returning passive gets its ring back.
        if (ActivePassivePair.PartnerOf(live, live.Primary.Name)?.Name == name)
        {
            await Bootstrap.PairRing.EnsureAsync(primary, server, name, _ctx.SourceFor(name), dialect, _ctx.Log, ct);
        }

        return new RejoinResult(name, how, rewound, saved);
    }

    /// <summary>Saves the tail and its flashback, applies the flashback, resets the binlog to the fork; null when impossible.</summary>
    private async Task<string?> TryRewindAsync(ISqlClient server, string name, ServerSnapshot ours, BinlogTail tail, string saved, CancellationToken ct)
    {
        var files = await BinlogFilesAsync(server, ct);
        if (!ours.OldestBinlogStart.IsEmpty && !tail.Start.Contains(ours.OldestBinlogStart))
        {
            _ctx.Log.Warn($"{name}'s oldest binlog starts after the fork ('{ours.OldestBinlogStart}' vs '{tail.Start}'): the tail cannot be read back.");
            return null;
        }

        var decoded = await CaptureAsync(name, new CommandSpec(_host.BinlogTool, ["--verbose", "--base64-output=decode-rows", $"--start-position={tail.Start}", .. files]), Path.Combine(saved, "tail.sql"), ct);
        var irreversible = BinlogTail.Irreversible(decoded);
        if (irreversible.Count > 0)
        {
            _ctx.Log.Warn($"{name}'s tail holds statements flashback cannot reverse: {string.Join("; ", irreversible)}.");
            return null;
        }

        var flashback = Path.Combine(saved, "flashback.sql");
        await CaptureAsync(name, new CommandSpec(_host.BinlogTool, ["--flashback", $"--start-position={tail.Start}", .. files]), flashback, ct);
        await File.WriteAllTextAsync(Path.Combine(saved, "README.txt"), Readme(name, tail, "rewound"), ct);

        // The reversed row events, with binary logging off for the session: the rewind itself must leave no GTID.
        await ApplyAsync(name, flashback, ct);
        await BinlogReset.ToStateAsync(server, _ctx.Connector, _ctx.Admin[name], tail.RewoundState.ToString(), ct);
        await server.ExecuteAsync(SqlStatement.With("SET GLOBAL gtid_slave_pos = @pos", ("pos", tail.RewoundState.PerDomain().ToString())), ct);
        _ctx.Log.Step("rewind", $"{name}: {tail.Errant} reversed by flashback, binlog reset to '{tail.RewoundState}' (the tail and its flashback are in {saved})");
        return flashback;
    }

    /// <summary>When the tail cannot be rewound, what can be read of it is still kept.</summary>
    private async Task SaveWholeAsync(ISqlClient server, string name, ServerSnapshot ours, string saved, GtidPosition errant, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(saved, "tail.sql")))
        {
            var files = await BinlogFilesAsync(server, ct);
            await CaptureAsync(name, new CommandSpec(_host.BinlogTool, ["--verbose", "--base64-output=decode-rows", .. files]), Path.Combine(saved, "binlogs.sql"), ct);
        }

        await File.WriteAllTextAsync(Path.Combine(saved, "README.txt"),
            $"{name} held transactions the primary never had ({errant}) that could not be rewound; they are in the decoded binlog here.\n" +
            $"Its binlog state was '{ours.BinlogState}'. The server was then reseeded from a donor.\n", ct);
    }

    /// <summary>A directory of its own for each rewind: an earlier one is never overwritten.</summary>
    private string NewSaveDir(string host)
    {
        var stem = Path.Combine(_host.SaveRoot, $"{host}-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}");
        var dir = stem;
        for (var n = 2; Directory.Exists(dir); n++)
        {
            dir = $"{stem}-{n}";
        }

        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<List<string>> BinlogFilesAsync(ISqlClient server, CancellationToken ct)
    {
        var basename = await server.ScalarAsync("SELECT @@log_bin_basename", ct)
            ?? throw new OperationFailedException($"{server.Server} has no binary log.", "enable log_bin (the rendered my.cnf does).");
        var dir = Path.GetDirectoryName(basename)!;
        return [.. (await server.QueryAsync("SHOW BINARY LOGS", ct)).Select(r => Path.Combine(dir, r.Text("Log_name")!))];
    }

    private async Task<string> CaptureAsync(string host, CommandSpec command, string file, CancellationToken ct)
    {
        using var running = _host.Runner.Start(host, command, stdin: false, stdout: true);
        await using (var output = File.Create(file))
        {
            await running.Stdout!.CopyToAsync(output, ct);
        }

        var result = await running.Completion;
        if (!result.Succeeded)
        {
            throw new OperationFailedException(result.Describe(), $"the output so far is in {file}.");
        }

        return await File.ReadAllTextAsync(file, ct);
    }

    private async Task ApplyAsync(string host, string script, CancellationToken ct)
    {
        var socket = _ctx.Admin[host].Socket
            ?? throw new OperationFailedException($"{host} has no admin socket here.", "run the rejoin on the host itself.");
        using var running = _host.Runner.Start(host, new CommandSpec(_host.Client,
            ["--user=root", $"--socket={socket}", "--skip-ssl", "--init-command=SET SESSION sql_log_bin = 0", "--binary-mode"]), stdin: true, stdout: false);
        await using (var input = File.OpenRead(script))
        {
            await input.CopyToAsync(running.Stdin!, ct);
        }

        running.Stdin!.Close();
        var result = await running.Completion;
        if (!result.Succeeded)
        {
            throw new OperationFailedException($"applying the flashback on {host} failed: {result.Describe()}", $"the script is {script}; the server is read-only and still out of replication.");
        }
    }

    private static string Readme(string name, BinlogTail tail, string what) => new StringBuilder()
        .Append($"{name} held transactions the live primary never had: {tail.Errant}.\n")
        .Append($"They were {what} on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z: the server returned to the fork '{tail.Start}' and then followed the primary.\n")
        .Append("tail.sql      the rewound transactions, decoded (mariadb-binlog --verbose): what a client wrote that no other server has.\n")
        .Append("flashback.sql the statements that reversed them (mariadb-binlog --flashback), applied with binary logging off.\n")
        .Append("To keep any of them, re-apply the rows from tail.sql on the primary by hand.\n")
        .ToString();
}
