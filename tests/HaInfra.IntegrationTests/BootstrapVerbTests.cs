using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HaInfra.Cli;
using HaInfra.Cli.Commands;
using HaInfra.Model;
using HaInfra.Model.Outputs;
using HaInfra.Operations;
using HaInfra.Operations.Local;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The bootstrap verb as `pulumi up` runs it, against real servers that were started but never bootstrapped: an
/// admin account created over the socket (as cloud-init does), an outputs document pointing at 127.0.0.1, passwords in
/// the environment.
/// </summary>
public sealed class BootstrapVerbTests(UnbootstrappedLocalServers servers) : IClassFixture<UnbootstrappedLocalServers>
{
    private static readonly Secret AdminPassword = Secret.Generate();
    private static readonly Secret ReplicationPassword = Secret.Generate();

    internal static Dictionary<string, string?> Environment() => new()
    {
        [BootstrapCommand.AdminPasswordVariable] = AdminPassword.Reveal(),
        [BootstrapCommand.ReplicationPasswordVariable] = ReplicationPassword.Reveal(),
    };

    [MariaDbFact]
    public async Task Brings_up_replication_from_an_outputs_document_then_is_a_no_op_through_the_cli()
    {
        var topology = servers.Topology;
        foreach (var host in topology.Hosts)
        {
            Assert.Empty(await SlaveStatusAsync(host.Name));
            await CreateAdminAsync(host.Name);
        }

        var outputs = Path.Combine(servers.StateRoot, "outputs.json");
        await File.WriteAllTextAsync(outputs, OutputsDocument(topology));
        var log = new MemoryStepLog();
        var result = await BootstrapCommand.RunAsync(topology, await File.ReadAllTextAsync(outputs), outputs, Environment(),
            TimeSpan.FromSeconds(30), new ServerConnector(), log);

        Assert.True(result.Changed);
        Assert.Equal(topology.Replicas.Select(r => r.Name), result.Verified);
        foreach (var replica in topology.Replicas)
        {
            Assert.Equal("0", await servers.ScalarAsync(replica.Name, $"SELECT MASTER_GTID_WAIT('{result.CanaryGtid}', 10)"));
            var status = Assert.Single(await SlaveStatusAsync(replica.Name));
            Assert.Equal("Yes", status.Text("Slave_SQL_Running"));
            Assert.Equal("127.0.0.1", status.Text("Master_Host"));
        }

        Assert.DoesNotContain(log.Lines, l => l.Contains(AdminPassword.Reveal(), StringComparison.Ordinal) || l.Contains(ReplicationPassword.Reveal(), StringComparison.Ordinal));

        var (exit, stdout, stderr) = CliTests.RunWith(Environment(), "bootstrap", "--stack", "local", "--outputs", outputs);
        Assert.True(exit == 0, stderr);
        Assert.Contains("nothing to do", stdout);
        Assert.DoesNotContain(AdminPassword.Reveal(), stdout + stderr, StringComparison.Ordinal);
    }

    [MariaDbFact]
    public async Task A_host_whose_certificate_the_stack_CA_did_not_sign_is_refused_before_any_statement()
    {
        var topology = servers.Topology;
        foreach (var host in topology.Hosts)
        {
            await CreateAdminAsync(host.Name);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BootstrapCommand.RunAsync(topology, OutputsDocument(topology, ForeignCa()), "doc", Environment(),
            TimeSpan.Zero, new ServerConnector(), new MemoryStepLog()));
        Assert.True(error is OperationFailedException or SqlOperationException, error.ToString());
        Assert.Contains("TLS failed: the server's certificate is not signed by the CA this connection trusts", error.Message);
        Assert.DoesNotContain(AdminPassword.Reveal(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TLS_stack_without_the_CA_certificate_in_its_outputs_is_refused()
    {
        var json = """{ "hosts": [], "tls": { "caFile": "/etc/mysql/tls/ca.pem" } }""";
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => BootstrapCommand.RunAsync(TopologyLoader().Topology!, json, "doc", Environment(), TimeSpan.Zero, new ServerConnector(), new MemoryStepLog()));
        Assert.Contains("tls.caCertificate", error.Message);
        var bad = json.Replace("\"caFile\"", "\"caCertificate\": \"-----BEGIN CERTIFICATE-----\\nnot base64\\n-----END CERTIFICATE-----\", \"caFile\"", StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<InvalidInputException>(() => BootstrapCommand.RunAsync(TopologyLoader().Topology!, bad, "doc", Environment(), TimeSpan.Zero, new ServerConnector(), new MemoryStepLog()));
        Assert.Contains("is not a PEM certificate", error.Message);
    }

    [Fact]
    public void Missing_passwords_and_a_bad_document_are_exit_code_2_with_every_problem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hainfra-outputs-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "hosts": [ { "name": "db1", "privateIp": "127.0.0.1", "port": 3306 } ] }""");
        try
        {
            var environment = new Dictionary<string, string?> { [BootstrapCommand.AdminPasswordVariable] = null, [BootstrapCommand.ReplicationPasswordVariable] = null };
            var (exit, stdout, stderr) = CliTests.RunWith(environment, "bootstrap", "--stack", "local", "--outputs", file);
            Assert.Equal(ExitCodes.InvalidInput, exit);
            Assert.Equal("", stdout);
            Assert.Contains($"${BootstrapCommand.AdminPasswordVariable} is not set", stderr);
            Assert.Contains($"${BootstrapCommand.ReplicationPasswordVariable} is not set", stderr);
            Assert.Contains("hosts[0]: privateDns missing", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Outputs_without_a_host_of_the_stack_are_refused_before_connecting()
    {
        var topology = TopologyLoader().Topology!;
        var json = """{ "hosts": [ { "name": "db1", "privateIp": "10.0.0.1", "privateDns": "db1.db.internal", "port": 3306 } ], "tls": { "caFile": "/etc/mysql/tls/ca.pem" } }""";
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => BootstrapCommand.RunAsync(topology, json, "doc", Environment(), TimeSpan.Zero, new ServerConnector(), new MemoryStepLog()));
        Assert.Contains("no host 'db2'", error.Message);
        Assert.Contains("no host 'db3'", error.Message);
    }

    private async Task<IReadOnlyList<SqlRow>> SlaveStatusAsync(string host)
    {
        await using var client = await servers.ConnectAsync(host);
        return await client.QueryAsync("SHOW SLAVE STATUS");
    }

    private static Model.Config.LoadResult TopologyLoader() => Model.Config.TopologyLoader.LoadStack(RepoRoot.Stacks, "local");

    // What cloud-init does on a new host: the admin account, created with binary logging off.
    private Task CreateAdminAsync(string host) => CreateAdminAsync(servers, host);

    internal static async Task CreateAdminAsync(UnbootstrappedLocalServers servers, string host)
    {
        await using var client = await servers.ConnectAsync(host);
        await client.ExecuteAsync("SET SESSION sql_log_bin = 0");
        await client.ExecuteAsync(SqlStatement.With("CREATE USER IF NOT EXISTS 'hainfra_admin'@'%' IDENTIFIED BY @password REQUIRE SSL", ("password", AdminPassword)));
        await client.ExecuteAsync("GRANT ALL PRIVILEGES ON *.* TO 'hainfra_admin'@'%' WITH GRANT OPTION");
    }

    // Shaped like the aws program's outputs, pointing at this machine's servers; the CA certificate is the local
    // servers' own unless another is given.
    private string OutputsDocument(Topology topology, string? caCertificate = null) => OutputsDocument(servers, topology, caCertificate);

    internal static string OutputsDocument(UnbootstrappedLocalServers servers, Topology topology, string? caCertificate = null) => new JsonObject
    {
        [StackOutputNames.Hosts] = new JsonArray([.. topology.Sites.SelectMany(s => s.Hosts.Select(h => (JsonNode)new JsonObject
        {
            [StackOutputNames.Name] = h.Name,
            [StackOutputNames.Site] = s.Name,
            [StackOutputNames.InitialRole] = Spellings.Role.Of(h.Role),
            [StackOutputNames.PrivateIp] = "127.0.0.1",
            [StackOutputNames.PrivateDns] = "127.0.0.1",
            [StackOutputNames.Port] = servers.State.Hosts[h.Name].Port,
        }))]),
        [StackOutputNames.Tls] = new JsonObject
        {
            [StackOutputNames.CaFile] = Path.Combine(servers.Target.Paths.TlsDir, TlsFiles.CaFile),
            [StackOutputNames.CaCertificate] = caCertificate ?? File.ReadAllText(Path.Combine(servers.Target.Paths.TlsDir, TlsFiles.CaFile)),
        },
    }.ToJsonString();

    private static string ForeignCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not the stack's CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
