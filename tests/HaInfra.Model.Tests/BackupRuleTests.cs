using System.Text.Json.Nodes;
using HaInfra.Model.Backups;

namespace HaInfra.Model.Tests;

/// <summary>One test per backup-policy rule.</summary>
public class BackupRuleTests
{
    private const string Key = "age1v0us52fhz5t9ju38ngy2xrg2swnl9t8dvxypxuw2shhar9gcj3qslucf0y";

    private static Dictionary<string, JsonNode?> WithBackup(string json)
    {
        var config = TestStacks.Valid();
        config["hainfra:backup"] = JsonNode.Parse(json);
        return config;
    }

    [Fact]
    public void Defaults_fill_a_minimal_policy()
    {
        var topology = TestStacks.Load(WithBackup($$"""{ "enabled": "true", "recipients": ["{{Key}}"] }""")).Topology!;
        var policy = topology.Backup;
        Assert.True(policy.Enabled);
        Assert.Equal(BackupDestination.S3, policy.Destination);
        Assert.Equal(BackupPolicy.DefaultRetention, policy.Retention);
        Assert.True(policy.BinlogArchive);
        Assert.Equal("db1b", policy.BackupHost(topology).Name);
    }

    [Fact]
    public void Backup_host_prefers_a_primary_site_replica_then_same_city_then_remote()
    {
        var config = WithBackup($$"""{ "enabled": "true", "recipients": ["{{Key}}"] }""");
        ((JsonArray)TestStacks.Site(config, 0)["hosts"]!).RemoveAt(1);
        var topology = TestStacks.Load(config).Topology!;
        Assert.Equal("db2", topology.Backup.BackupHost(topology).Name);
    }

    [Fact]
    public void Single_host_stack_backs_up_its_primary()
    {
        var config = WithBackup($$"""{ "enabled": "true", "recipients": ["{{Key}}"] }""");
        config["hainfra:sites"] = new JsonArray(TestStacks.Site(config, 0).DeepClone());
        ((JsonArray)TestStacks.Site(config, 0)["hosts"]!).RemoveAt(1);
        var topology = TestStacks.Load(config).Topology!;
        Assert.Equal("db1", topology.Backup.BackupHost(topology).Name);
    }

    [Fact]
    public void Enabled_without_recipients()
    {
        var error = TestStacks.ErrorAt(WithBackup("""{ "enabled": "true" }"""), "hainfra:backup.recipients");
        Assert.Contains("age-keygen", error.Fix);
    }

    [Fact]
    public void Recipient_that_is_not_an_age_key()
    {
        var error = TestStacks.ErrorAt(WithBackup("""{ "enabled": "true", "recipients": ["ssh-ed25519 AAAA"] }"""), "hainfra:backup.recipients[0]");
        Assert.Equal("ssh-ed25519 AAAA", error.Value);
    }

    [Fact]
    public void Private_key_in_the_stack_is_never_echoed()
    {
        const string secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        var error = TestStacks.ErrorAt(WithBackup($$"""{ "enabled": "true", "recipients": ["{{secret}}"] }"""), "hainfra:backup.recipients[0]");
        Assert.Null(error.Value);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("PRIVATE", error.Problem);
    }

    [Fact]
    public void Unknown_destination() =>
        Assert.Contains("s3, azure-blob, directory", TestStacks.ErrorAt(WithBackup("""{ "destination": "gcs" }"""), "hainfra:backup.destination").Fix);

    [Fact]
    public void Destination_of_another_cloud() =>
        Assert.Contains("use s3", TestStacks.ErrorAt(WithBackup("""{ "destination": "azure-blob" }"""), "hainfra:backup.destination").Fix);

    [Fact]
    public void Unknown_source() =>
        Assert.Contains("replica, primary", TestStacks.ErrorAt(WithBackup("""{ "takenFrom": "any" }"""), "hainfra:backup.takenFrom").Fix);

    [Fact]
    public void Host_not_in_stack() =>
        Assert.Contains("db1, db1b, db2, db3, db4", TestStacks.ErrorAt(WithBackup("""{ "host": "db9" }"""), "hainfra:backup.host").Fix);

    [Fact]
    public void Host_is_the_primary_while_taking_from_replicas() =>
        Assert.Contains("takenFrom is replica", TestStacks.ErrorAt(WithBackup("""{ "host": "db1" }"""), "hainfra:backup.host").Problem);

    [Fact]
    public void Schedule_that_systemd_would_reject()
    {
        var error = TestStacks.ErrorAt(WithBackup("""{ "schedules": { "full": "every sunday" } }"""), "hainfra:backup.schedules.full");
        Assert.Equal("every sunday", error.Value);
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("Sun *-*-* 01:00:00")]
    [InlineData("Mon..Sat *-*-* 01:00:00")]
    [InlineData("*-*-* 00/6:00:00")]
    [InlineData("Sun 03:30")]
    public void Schedules_systemd_accepts(string calendar) =>
        Assert.True(TestStacks.Load(WithBackup($$"""{ "schedules": { "incremental": "{{calendar}}" } }""")).Ok);

    [Fact]
    public void Retention_out_of_range() =>
        Assert.Contains("1 to 3650", TestStacks.ErrorAt(WithBackup("""{ "retention": { "binlogDays": "0" } }"""), "hainfra:backup.retention.binlogDays").Fix);

    [Fact]
    public void Full_backups_kept_shorter_than_incrementals()
    {
        var errors = TestStacks.Errors(WithBackup("""{ "retention": { "fullDays": "10", "incrementalDays": "14" } }"""));
        Assert.Contains(errors, e => e.Path == "hainfra:backup.retention.fullDays" && e.Problem.Contains("breaking those chains", StringComparison.Ordinal));
    }

    [Fact]
    public void Infrequent_access_too_early() =>
        Assert.Contains("30 or more", TestStacks.ErrorAt(WithBackup("""{ "lifecycle": { "fullToInfrequentAccessDays": "7" } }"""), "hainfra:backup.lifecycle.fullToInfrequentAccessDays").Fix);

    [Fact]
    public void Archive_before_infrequent_access() =>
        Assert.Contains("more than 60", TestStacks.ErrorAt(
            WithBackup("""{ "lifecycle": { "fullToInfrequentAccessDays": "60", "fullToArchiveDays": "45" } }"""), "hainfra:backup.lifecycle.fullToArchiveDays").Fix);

    [Fact]
    public void Full_backups_expire_before_archive() =>
        Assert.Contains("before they would move to the archive tier", TestStacks.ErrorAt(
            WithBackup("""{ "retention": { "fullDays": "60" } }"""), "hainfra:backup.retention.fullDays").Problem);

    [Fact]
    public void Compression_level_out_of_range() =>
        Assert.Contains("1 to 19", TestStacks.ErrorAt(WithBackup("""{ "compressionLevel": "22" }"""), "hainfra:backup.compressionLevel").Fix);

    [Fact]
    public void Rpo_needs_the_binlog_archive() =>
        Assert.Contains("binlogArchive: true", TestStacks.ErrorAt(
            WithBackup("""{ "binlogArchive": "false", "objectives": { "rpoSeconds": "60" } }"""), "hainfra:backup.binlogArchive").Fix);

    [Fact]
    public void Rto_out_of_range() =>
        Assert.Contains("minutes", TestStacks.ErrorAt(WithBackup("""{ "objectives": { "rtoMinutes": "0" } }"""), "hainfra:backup.objectives.rtoMinutes").Fix);

    [Fact]
    public void Misspelled_backup_key() =>
        Assert.Contains("did you mean 'retention'", TestStacks.ErrorAt(WithBackup("""{ "retension": {} }"""), "hainfra:backup.retension").Fix);
}
