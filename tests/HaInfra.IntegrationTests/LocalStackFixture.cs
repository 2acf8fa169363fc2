using HaInfra.Model;
using HaInfra.Model.Config;
using HaInfra.Operations;
using HaInfra.Operations.Galera;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Rendering;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// A stack realized by the local target in a temporary state directory on its own ports, and torn down (servers
/// stopped by PID, files deleted) even when a test or the bring-up fails.
/// </summary>
public abstract class LocalStackFixture : IAsyncLifetime
{
    protected LocalStackFixture(string stack) => StackName = stack;

    public string StackName { get; }

    public Topology Topology { get; private set; } = null!;

    public string StateRoot { get; } = Directory.CreateTempSubdirectory("hainfra-it-").FullName;

    public LocalTarget Target { get; private set; } = null!;

    public MemoryStepLog Log { get; } = new();

    public UpResult FirstUp { get; private set; } = null!;

    public static bool Available => MariaDbBinaries.Find() is not null;

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        var loaded = TopologyLoader.LoadStack(RepoRoot.Stacks, StackName).Topology!;
        Topology = Adjust(loaded with { Local = loaded.Local with { BasePort = TestPorts.Reserve((3 * loaded.Hosts.Count()) + 5) } });
        Target = NewTarget(Topology);
        try
        {
            await RealizeAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>How the fixture brings its stack up: by default the whole of local up.</summary>
    protected virtual async Task RealizeAsync() => FirstUp = await Target.UpAsync();

    /// <summary>Changes to the example stack for this fixture (e.g. backups on).</summary>
    protected virtual Topology Adjust(Topology topology) => topology;

    /// <summary>How the target starts its backup scheduler; null: no scheduler.</summary>
    protected virtual AgentCommand? Agent => null;

    public LocalTarget NewTarget(Topology topology, IStepLog? log = null) =>
        new(topology, new LocalPaths(StateRoot, topology.Stack), new TemplateRenderer(TemplateCatalog.Load(RepoRoot.Templates)), new ServerConnector(), log ?? Log, agent: Agent,
            toolkit: new("dotnet", [Path.Combine(AppContext.BaseDirectory, "hainfra.dll")]));

    public HostPaths Paths(string host) => Target.Paths.Host(host);

    public Task<ISqlClient> ConnectAsync(string host) =>
        new ServerConnector().ConnectAsync(SqlEndpoint.UnixSocket(host, Paths(host).Socket));

    public async Task<string?> ScalarAsync(string host, string sql)
    {
        await using var client = await ConnectAsync(host);
        return await client.ScalarAsync(sql);
    }

    public async Task ExecuteAsync(string host, params string[] statements)
    {
        await using var client = await ConnectAsync(host);
        foreach (var statement in statements)
        {
            await client.ExecuteAsync(statement);
        }
    }

    /// <summary>A Galera node's wsrep status (null-forgiving: for stacks whose nodes run with wsrep on).</summary>
    public async Task<GaleraNodeStatus> GaleraAsync(string node)
    {
        await using var client = await ConnectAsync(node);
        return (await GaleraNodeStatus.ReadAsync(client, CancellationToken.None))!;
    }

    public int Pid(string host) => new LocalServer(host, Paths(host), MariaDbBinaries.Require()).RunningPid
        ?? throw new InvalidOperationException($"{host} is not running");

    /// <summary>kill -9 of a server this fixture started.</summary>
    public void Crash(string host)
    {
        using var process = System.Diagnostics.Process.GetProcessById(Pid(host));
        process.Kill();
        process.WaitForExit();
    }

    public async Task DisposeAsync()
    {
        if (Target is null)
        {
            Directory.Delete(StateRoot, recursive: true);
            return;
        }

        try
        {
            await Target.DownAsync(purge: true, force: true);
        }
        catch (OperationFailedException)
        {
            // Fall through to stopping by PID below.
        }

        // Anything of ours still running (servers, storage, archive, scheduler) names the state root in its command line.
        foreach (var pid in OurProcesses())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit();
            }
            catch (ArgumentException)
            {
                // It ended between the listing and the kill.
            }
        }

        if (Directory.Exists(StateRoot))
        {
            Directory.Delete(StateRoot, recursive: true);
        }
    }

    private List<int> OurProcesses()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId)
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (cmdline.Contains(StateRoot, StringComparison.Ordinal))
                    {
                        pids.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // The process went away while we looked.
                }
            }
        }

        return pids;
    }
}

public sealed class LocalStackServers() : LocalStackFixture("local");

public sealed class ProdStackServers() : LocalStackFixture("prod");

/// <summary>The local stack's servers created and running, with no replication set up: as a cloud stack is before its bootstrap.</summary>
public sealed class UnbootstrappedLocalServers() : LocalStackFixture("local")
{
    public LocalState State { get; private set; } = null!;

    protected override async Task RealizeAsync() => State = await Target.StartServersAsync();
}
