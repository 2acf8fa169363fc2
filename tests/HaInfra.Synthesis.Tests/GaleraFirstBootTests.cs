using HaInfra.Rendering.CloudInit;
using HaInfra.Tests.Shared;

namespace HaInfra.Synthesis.Tests;

/// <summary>
/// The Galera start of a cloud node's first boot (templates/cloud-init), run by bash as rendered, with the commands
/// that act on the machine (systemctl, galera_new_cluster, the record's reads and writes) replaced by functions that
/// log their calls: only the first node, with nothing on disk and an unclaimed record, starts a new cluster; a record
/// it cannot read or write stops it; every other case joins.
/// </summary>
public sealed class GaleraFirstBootTests : IDisposable
{
    private const string Record = "/hainfra/local-galera/galera/bootstrap";
    private const string AzureRecord = "galera-bootstrap";
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-galera-boot-").FullName;

    [Fact]
    public void The_first_node_starts_a_new_cluster_once_when_nothing_exists_yet()
    {
        var calls = Boot(firstNode: true, record: "unclaimed");
        Assert.Contains($"read {Record}", calls);
        Assert.Contains(calls, c => c.StartsWith($"aws ssm put-parameter --region eu-west-1 --name {Record} --type String --overwrite --value started by g1 at ", StringComparison.Ordinal));
        Assert.Contains("galera_new_cluster", calls);
        Assert.DoesNotContain("systemctl start mariadb", calls);
    }

    [Fact]
    public void A_first_node_rebuilt_after_the_cluster_started_only_joins()
    {
        var calls = Boot(firstNode: true, record: "started by g1 at 2026-12-01T10:00:00Z");
        Assert.DoesNotContain("galera_new_cluster", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("aws ", StringComparison.Ordinal));
        Assert.Contains("systemctl start mariadb", calls);
    }

    [Fact]
    public void A_first_node_that_holds_cluster_state_joins_without_looking_at_the_record()
    {
        var calls = Boot(firstNode: true, record: "unclaimed", grastateUuid: "6b5d3a5e-1c1f-11ef-9a0b-2f0e6f3b1c11");
        Assert.DoesNotContain(calls, c => c.StartsWith("read ", StringComparison.Ordinal));
        Assert.DoesNotContain("galera_new_cluster", calls);
        Assert.Contains("systemctl start mariadb", calls);
    }

    [Fact]
    public void A_first_node_starts_the_cluster_even_while_the_other_nodes_already_listen_on_4567()
    {
        // A node still trying to join opens its group communication port first: a probe would see it and wait forever.
        var calls = Boot(firstNode: true, record: "unclaimed");
        Assert.Contains("galera_new_cluster", calls);
    }

    [Fact]
    public void A_first_node_whose_claim_cannot_be_written_starts_nothing_and_fails()
    {
        var (exit, calls) = Run(firstNode: true, record: "unclaimed", claimFails: true);
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("galera_new_cluster", calls);
        Assert.DoesNotContain("systemctl start mariadb", calls);
    }

    [Fact]
    public void A_first_node_that_cannot_read_the_record_neither_starts_nor_joins_and_fails()
    {
        var (exit, calls) = Run(firstNode: true, record: null);
        Assert.NotEqual(0, exit);
        Assert.Equal(6, calls.Count(c => c == $"read {Record}"));
        Assert.DoesNotContain("galera_new_cluster", calls);
        Assert.DoesNotContain("systemctl start mariadb", calls);
    }

    [Fact]
    public void On_azure_the_first_node_claims_the_secret_with_a_put_then_starts_the_cluster()
    {
        var (exit, calls) = Run(firstNode: true, record: "unclaimed", azure: true);
        Assert.True(exit == 0, string.Join("\n", calls));
        var put = Assert.Single(calls, c => c.StartsWith("curl ", StringComparison.Ordinal));
        Assert.Contains("-X PUT -H Authorization: Bearer token -H Content-Type: application/json", put);
        Assert.Contains("--data {\"value\": \"started by g1 at ", put);
        Assert.EndsWith("https://kv.vault.azure.net/secrets/galera-bootstrap?api-version=7.4", put);
        Assert.Equal("galera_new_cluster", calls[^1]);

        var (refused, after) = Run(firstNode: true, record: "unclaimed", azure: true, claimFails: true);
        Assert.NotEqual(0, refused);
        Assert.DoesNotContain("galera_new_cluster", after);
    }

    [Fact]
    public void Other_nodes_always_join()
    {
        var calls = Boot(firstNode: false, record: "unclaimed");
        Assert.Equal(["systemctl start mariadb"], calls);
    }

    [Fact]
    public void A_join_that_fails_is_retried()
    {
        var calls = Boot(firstNode: false, record: "unclaimed", failedStarts: 2);
        Assert.Equal(3, calls.Count(c => c == "systemctl start mariadb"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs the rendered start for g1 (or g2) of local-galera and returns the commands it called, in order; it must succeed.</summary>
    private List<string> Boot(bool firstNode, string? record, string? grastateUuid = null, int failedStarts = 0)
    {
        var (exit, calls) = Run(firstNode, record, grastateUuid, failedStarts);
        Assert.True(exit == 0, string.Join("\n", calls));
        return calls;
    }

    private (int Exit, List<string> Calls) Run(bool firstNode, string? record, string? grastateUuid = null, int failedStarts = 0, bool claimFails = false, bool azure = false)
    {
        var topology = Synth.Stack("local-galera");
        var host = topology.Host(firstNode ? "g1" : "g2");
        var start = new GaleraStart(firstNode, azure ? AzureRecord : Record);
        var access = azure ? new AzureHostAccess(0, "kv", "client") : null;
        var text = CloudInitRenderer.Render(Synth.Renderer(), topology, host, new CloudInitInputs("eu-west-1", "vol-0123", "/p", null, Azure: access, Galera: start)).Text;
        var begin = text.IndexOf("# galera-start: begin", StringComparison.Ordinal);
        var functions = string.Join('\n', text[begin..text.IndexOf("# galera-start: end", begin, StringComparison.Ordinal)].Split('\n')
            .Select(line => line.StartsWith("      ", StringComparison.Ordinal) ? line[6..] : line));

        var log = Path.Combine(_dir, "calls");
        var recordFile = Path.Combine(_dir, "record");
        File.Delete(log);
        File.Delete(recordFile);
        if (record is not null)
        {
            File.WriteAllText(recordFile, record + "\n");
        }

        var state = Path.Combine(_dir, "grastate.dat");
        File.WriteAllText(state, grastateUuid is null ? "" : $"# GALERA saved state\nversion: 2.1\nuuid:    {grastateUuid}\nseqno:   -1\nsafe_to_bootstrap: 0\n");
        if (grastateUuid is null)
        {
            File.Delete(state);
        }

        var script = Path.Combine(_dir, "boot.sh");
        File.WriteAllText(script, $$"""
            set -euo pipefail
            log="{{log}}"
            host={{host.Name}}
            region=eu-west-1
            galera_first_node={{(firstNode ? 1 : 0)}}
            galera_bootstrap_record="{{(azure ? AzureRecord : Record)}}"
            key_vault=kv
            galera_state="{{state}}"
            failures={{failedStarts}}
            parameter() { echo "read $1" >> "$log"; cat "{{recordFile}}"; }
            aws() { echo "aws $*" >> "$log"; return {{(claimFails ? 1 : 0)}}; }
            vault_token() { echo token; }
            curl() { echo "curl $*" >> "$log"; return {{(claimFails ? 22 : 0)}}; }
            galera_new_cluster() { echo "galera_new_cluster" >> "$log"; }
            systemctl() { echo "systemctl $*" >> "$log"; if (( failures > 0 )); then failures=$((failures - 1)); return 1; fi; }
            sleep() { :; }
            {{functions}}
            start_galera_node
            """);
        var (exit, _) = ServerBinaries.Run("/bin/bash", script);
        return (exit, File.Exists(log) ? [.. File.ReadAllLines(log)] : []);
    }
}
