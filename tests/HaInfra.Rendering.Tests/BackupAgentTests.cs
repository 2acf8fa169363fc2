using HaInfra.Model.Backups;
using HaInfra.Rendering.Backup;
using HaInfra.Tests.Shared;

namespace HaInfra.Rendering.Tests;

public sealed class BackupAgentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-agent-").FullName;

    [Fact]
    public void Agent_files_of_the_prod_backup_host_match_their_golden_files()
    {
        var prod = RenderFixture.Stack("prod");
        var files = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), prod, BackupStorage.S3("hainfra-prod-backup-bucket", "eu-west-1"), "primary.db.internal");
        Assert.All(files, f => Assert.StartsWith("prod-db-a2/", f.RelativePath, StringComparison.Ordinal));
        foreach (var file in files)
        {
            Golden.Check($"backup-agent/prod/{file.RelativePath}", file.Text);
        }
    }

    /// <summary>
    /// On azure the agent reaches its container with the host's managed identity (rclone's azureblob USE_MSI): no key,
    /// no SAS, no connection string in the files. Managed identity cannot be exercised here (no metadata endpoint, and
    /// azurite has none), so this golden file is the evidence; the tests against azurite use the emulator's key.
    /// </summary>
    [Fact]
    public void On_azure_the_agent_uses_the_hosts_managed_identity()
    {
        var stack = RenderFixture.Stack("azure-prod");
        var files = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), stack, BackupStorage.AzureBlob("hainfraprodbackup", "backups"), "primary.prod.db.internal");
        foreach (var file in files)
        {
            Golden.Check($"backup-agent/azure-prod/{file.RelativePath}", file.Text);
        }

        var env = files.Single(f => f.RelativePath.EndsWith("backup.env", StringComparison.Ordinal)).Text;
        Assert.Contains("RCLONE_CONFIG_BACKUP_TYPE=azureblob", env);
        Assert.Contains("RCLONE_CONFIG_BACKUP_ACCOUNT=hainfraprodbackup", env);
        Assert.Contains("RCLONE_CONFIG_BACKUP_USE_MSI=true", env);
        Assert.DoesNotMatch("(?im)^RCLONE_CONFIG_BACKUP_(KEY|SAS_URL|CONNECTION_STRING|USE_EMULATOR)=", env);
    }

    [Fact]
    public void Env_has_no_credentials_and_recipients_are_the_policys()
    {
        var prod = RenderFixture.Stack("prod");
        var files = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), prod, BackupStorage.S3("bucket", "eu-west-1"), "primary.db.internal");
        var env = files.Single(f => f.RelativePath.EndsWith("backup.env", StringComparison.Ordinal)).Text;
        var settings = env.Split('\n').Where(l => !l.StartsWith('#')).ToList();
        Assert.DoesNotContain(settings, l => l.Contains("SECRET", StringComparison.OrdinalIgnoreCase) || l.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || l.Contains("KEY=", StringComparison.Ordinal));
        Assert.Contains("RCLONE_CONFIG_BACKUP_ENV_AUTH=true", env);
        var recipients = files.Single(f => f.RelativePath.EndsWith("backup-recipients.txt", StringComparison.Ordinal)).Text;
        Assert.All(prod.Backup.Recipients, r => Assert.Contains(r, recipients));
        Assert.DoesNotContain("AGE-SECRET-KEY", string.Concat(files.Select(f => f.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Backup_env_sets_exactly_the_agent_variables_named_in_code()
    {
        var prod = RenderFixture.Stack("prod");
        var files = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), prod, BackupStorage.S3("bucket", "eu-west-1"), "primary.db.internal");
        var env = files.Single(f => f.RelativePath.EndsWith("backup.env", StringComparison.Ordinal)).Text;
        var set = env.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("RCLONE_CONFIG_", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToList();
        Assert.Equal(AgentVariables.InEnvFile.Order(StringComparer.Ordinal), set.Order(StringComparer.Ordinal));
        var script = files.Single(f => f.RelativePath.EndsWith("hainfra-backup", StringComparison.Ordinal)).Text;
        Assert.Contains($"${{{AgentVariables.EnvFile}:-", script);
        Assert.Contains($"${{{AgentVariables.EnvOverrideFile}:-", script);
    }

    [Fact]
    public void Timers_carry_the_policys_schedules()
    {
        var prod = RenderFixture.Stack("prod");
        var files = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), prod, BackupStorage.S3("bucket", "eu-west-1"), "primary.db.internal");
        var full = files.Single(f => f.RelativePath.EndsWith("hainfra-backup-full.timer", StringComparison.Ordinal)).Text;
        Assert.Contains($"OnCalendar={prod.Backup.Schedules.Full}", full);
        Assert.Contains("Unit=hainfra-backup@full.service", full);
    }

    [Fact]
    public void The_agent_script_is_valid_bash()
    {
        var path = WriteRenderedScript("hainfra-backup");
        var (exit, output) = ServerBinaries.Run("/bin/bash", "-n", path);
        Assert.True(exit == 0, output);
    }

    [ShellcheckFact]
    public void The_rendered_agent_script_passes_shellcheck()
    {
        var path = WriteRenderedScript("hainfra-backup-lint");
        var shellcheck = ServerBinaries.Which("shellcheck");
        Assert.True(shellcheck is not null, "shellcheck is not installed, and HAINFRA_CI=1 says this is CI: scripts/install-prereqs must install it");
        var (lint, report) = ServerBinaries.Run(shellcheck, "--severity=warning", path);
        Assert.True(lint == 0, report);
    }

    [Fact]
    public void Segment_times_are_iso_8601_also_before_ten_in_the_morning()
    {
        // mariadb-binlog writes "#261205  0:39:53": a one-digit hour the restore could not parse (PITR by time failed
        // for every segment archived between 00:00 and 09:59 UTC).
        var prod = RenderFixture.Stack("prod");
        var script = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), prod, BackupStorage.S3("bucket", "eu-west-1"), "primary.db.internal")
            .Single(f => f.Template == BackupAgentRenderer.Script).Text;
        var start = script.IndexOf("# segment-span: begin", StringComparison.Ordinal);
        var functions = script[start..script.IndexOf("# segment-span: end", start, StringComparison.Ordinal)];
        var sample = Path.Combine(_dir, "binlog.txt");
        File.WriteAllText(sample,
            "#261205  0:39:52 server id 7  end_log_pos 256 CRC32 0x1  GTID 0-7-14 trans\n" +
            "#261205  9:05:03 server id 7  end_log_pos 512 CRC32 0x2 \tGTID 0-7-15 trans\n" +
            "#261205 10:00:00 server id 7  end_log_pos 600 CRC32 0x3  Rotate to mysql-bin.000002  pos: 4\n");
        var (exit, output) = ServerBinaries.Run("/bin/bash", "-c", functions + "\nsegment_span \"$0\"", sample);
        Assert.True(exit == 0, output);
        Assert.Equal("0-7-14 0-7-15 2026-12-05T00:39:52Z 2026-12-05T09:05:03Z 2026-12-05T10:00:00Z", output.Trim());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The agent script as rendered for prod's backup host, written to a file for bash and shellcheck.</summary>
    private string WriteRenderedScript(string name)
    {
        var script = BackupAgentRenderer.RenderAll(RenderFixture.Renderer(), RenderFixture.Stack("prod"), BackupStorage.S3("bucket", "eu-west-1"), "primary.db.internal")
            .Single(f => f.Template == BackupAgentRenderer.Script);
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, script.Text);
        return path;
    }
}
