using System.Text.Json;
using HaInfra.Operations.Json;
using HaInfra.Operations.Seeding;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>A local host as a seed target: its datadir, its server process, and the seed marker in its directory.</summary>
public sealed class LocalSeedTarget : ISeedTarget
{
    private readonly LocalServer _server;

    public LocalSeedTarget(LocalServer server) => _server = server;

    public string Host => _server.Name;

    public string DataDir => _server.Paths.DataDir;

    public SqlEndpoint Admin => _server.Admin;

    public static string MarkerFile(HostPaths paths) => Path.Combine(paths.Dir, "seeding.json");

    /// <summary>What an unfinished seed left behind: "physical from db2", or null.</summary>
    public static string? Unfinished(HostPaths paths)
    {
        var file = MarkerFile(paths);
        if (!File.Exists(file))
        {
            return null;
        }

        // A command killed while writing the marker leaves it empty or cut short: still an unfinished seed.
        Dictionary<string, string> marker;
        try
        {
            marker = JsonSerializer.Deserialize(File.ReadAllText(file), OperationsJson.Default.DictionaryStringString) ?? [];
        }
        catch (JsonException)
        {
            marker = [];
        }

        return $"{marker.GetValueOrDefault("method", "?")} from {marker.GetValueOrDefault("donor", "?")}, started {marker.GetValueOrDefault("started", "?")}";
    }

    public void BeginSeed(string method, string donor)
    {
        Directory.CreateDirectory(_server.Paths.Dir);
        File.Delete(_server.Paths.InitializedMarker);
        var marker = new Dictionary<string, string>
        {
            ["method"] = method,
            ["donor"] = donor,
            ["started"] = DateTimeOffset.UtcNow.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
        };
        var temp = MarkerFile(_server.Paths) + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(marker, OperationsJson.Default.DictionaryStringString));
        File.Move(temp, MarkerFile(_server.Paths), overwrite: true);
    }

    public async Task ResetAsync(CancellationToken ct)
    {
        await _server.StopAsync(ct);
        await WaitForLeftoversAsync(ct);
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }

        Directory.CreateDirectory(DataDir);
        Directory.CreateDirectory(_server.Paths.TmpDir);
    }

    /// <summary>
    /// An interrupted seed can leave its sink (mbstream -x -C datadir, a dump loader) running for a moment after
    /// its parent died. Wait for those processes — found by the datadir in their command line — before wiping
    /// the datadir under them; stop them if they linger.
    /// </summary>
    private async Task WaitForLeftoversAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var leftovers = ProcessControl.FindByCommandLine(DataDir);
            if (leftovers.Count == 0)
            {
                return;
            }

            if (attempt == 99)
            {
                foreach (var pid in leftovers)
                {
                    ProcessControl.Terminate(pid);
                }
            }

            await Task.Delay(100, ct);
        }
    }

    public Task InitializeEmptyAsync(CancellationToken ct) => _server.InitializeAsync(ct, markInitialized: false);

    public Task StartAsync(CancellationToken ct) => _server.StartAsync(ct);

    public void CompleteSeed()
    {
        File.WriteAllText(_server.Paths.InitializedMarker, "");
        File.Delete(MarkerFile(_server.Paths));
    }
}
