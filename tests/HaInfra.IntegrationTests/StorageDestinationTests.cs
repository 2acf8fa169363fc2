using HaInfra.Model;
using HaInfra.Model.Backups;
using HaInfra.Operations.Backups;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>The local stack backing up into a given destination; S3 is covered by <see cref="BackupTests"/>.</summary>
public abstract class DestinationServers(BackupDestination destination) : LocalStackFixture("local")
{
    public BackupDestination Destination { get; } = destination;

    public LocalBackups Backups => Target.Backups()!;

    /// <summary>Where the storage keeps its bytes on disk: the server's data directory, or the plain directory.</summary>
    public string StorageDir => Path.Combine(Target.Paths.Root, "storage", Destination switch
    {
        BackupDestination.AzureBlob => "azure",
        _ => "directory",
    });

    protected override Topology Adjust(Topology topology) => topology with
    {
        Backup = topology.Backup with { Enabled = true, Destination = Destination, Recipients = [BackedUpLocalServers.ForeignRecipient] },
    };
}

public sealed class AzureBlobServers() : DestinationServers(BackupDestination.AzureBlob);

public sealed class DirectoryServers() : DestinationServers(BackupDestination.Directory);

/// <summary>
/// A full and an incremental backup through the same agent into another destination, the archive's segments
/// beside them, and a verify that restores the chain from there: the destination is real, not a code path on paper.
/// </summary>
public abstract class DestinationRoundTrip<TServers>(TServers stack) where TServers : DestinationServers
{
    protected TServers Stack => stack;

    [MariaDbFact]
    public async Task A_full_and_an_incremental_backup_round_trip_through_the_destination()
    {
        await stack.ExecuteAsync("db1", "CREATE DATABASE IF NOT EXISTS dest", "CREATE TABLE dest.t (id INT PRIMARY KEY, v TEXT)",
            "INSERT INTO dest.t SELECT seq, REPEAT('a', seq) FROM dest.seq_1_to_300");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        await stack.Backups.RunAsync("full", CancellationToken.None);
        await stack.ExecuteAsync("db1", "INSERT INTO dest.t SELECT seq, REPEAT('b', seq) FROM dest.seq_301_to_400", "FLUSH BINARY LOGS");
        await SeedHelpers.CatchUpAsync(stack, "db2");
        var incremental = await stack.Backups.RunAsync("incremental", CancellationToken.None);
        await stack.Backups.RunAsync("binlog-upload", CancellationToken.None);

        var catalog = await BackupCatalog.LoadAsync(stack.Backups.Storage, CancellationToken.None);
        Assert.Equal(["full", "incremental"], catalog.Backups.Select(b => b.Kind));
        Assert.NotEmpty(catalog.Binlogs);
        Assert.True(Directory.EnumerateFiles(stack.StorageDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) > 100_000,
            $"the backups' bytes are not in {stack.StorageDir}");

        var result = await new BackupVerifier(stack.Backups.Storage, stack.Backups.Identity(), new ServerConnector(), new MemoryStepLog())
            .VerifyAsync(null, Path.Combine(stack.StateRoot, "work"), CancellationToken.None);
        Assert.Equal(incremental, result.Backup.Directory);
        Assert.True(result.HadChecksums);
        Assert.True(result.TablesCompared >= 1, $"compared {result.TablesCompared} tables");
        await AfterRoundTripAsync(incremental);
    }

    /// <summary>What a destination checks beyond the agent's own round trip (the cloud verbs, for Azure Blob).</summary>
    protected virtual Task AfterRoundTripAsync(string latest) => Task.CompletedTask;
}

/// <summary>
/// Backups into a real Azure Blob server (azurite on 127.0.0.1) through rclone's azureblob backend; then the operator's
/// cloud verbs for an azure stack (`backup list` and `backup verify --stack azure-staging --outputs F`) read the same
/// container, resolved from an outputs document the way the azure program writes it, against the emulator.
/// </summary>
public sealed class AzureBlobBackupTests(AzureBlobServers stack) : DestinationRoundTrip<AzureBlobServers>(stack), IClassFixture<AzureBlobServers>
{
    protected override Task AfterRoundTripAsync(string latest)
    {
        var remote = Stack.Backups.Remote;
        var endpoint = remote.Rclone.Single(s => s.Key == "ENDPOINT").Value;
        var outputs = Path.Combine(Stack.StateRoot, "azure-outputs.json");
        File.WriteAllText(outputs, $$$"""{"buckets": {"backup": "{{{remote.Bucket}}}", "offsite": "{{{remote.Bucket}}}-offsite", "backupAccount": "hainfrastgbackup", "offsiteAccount": "hainfrastgoffsite"}}""");
        var environment = new Dictionary<string, string?> { [CloudBackupStorage.AzureEndpointVariable] = endpoint };

        var list = CliTests.RunWith(environment, "backup", "list", "--stack", "azure-staging", "--outputs", outputs);
        Assert.True(list.Exit == 0, list.Stderr);
        var id = Path.GetFileName(latest);
        Assert.True(list.Stdout.Contains(id, StringComparison.Ordinal), list.Stdout);
        Assert.Contains("incremental", list.Stdout);

        var verify = CliTests.RunWith(environment, "backup", "verify", "--latest", "--stack", "azure-staging", "--outputs", outputs,
            "--identity", Stack.Backups.Identity(), "--work-dir", Path.Combine(Stack.StateRoot, "cloud-verify"));
        Assert.True(verify.Exit == 0, verify.Stdout + verify.Stderr);
        Assert.Contains(id, verify.Stdout);

        // Without the emulator the verbs address the real account by its name, with the operator's own credentials.
        var (storage, problems) = CloudBackupStorage.Resolve(Stack.Topology, File.ReadAllText(outputs).Replace("hainfrastgbackup", "acct", StringComparison.Ordinal), outputs, false, null);
        Assert.Empty(problems);
        Assert.Equal([new("TYPE", "azureblob"), new KeyValuePair<string, string>("ACCOUNT", "acct")], storage!.Rclone);
        return Task.CompletedTask;
    }
}

/// <summary>Backups into a plain directory (the destination for a host without object storage).</summary>
public sealed class DirectoryBackupTests(DirectoryServers stack) : DestinationRoundTrip<DirectoryServers>(stack), IClassFixture<DirectoryServers>;
