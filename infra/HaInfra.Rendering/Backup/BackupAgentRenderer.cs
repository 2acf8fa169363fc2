using System.Globalization;
using HaInfra.Model;
using HaInfra.Model.Backups;

namespace HaInfra.Rendering.Backup;


/// <summary>
/// Renders the backup host's agent: the script, its settings, the recipients' public keys, and the systemd units
/// that schedule it (timers per backup kind, the binlog archive service). Only the backup host gets them.
/// </summary>
public static class BackupAgentRenderer
{
    public const string Script = "backup/agent";
    public const string Env = "backup/env";
    public const string Recipients = "backup/recipients";
    public const string Service = "backup/service";
    public const string Timer = "backup/timer";
    public const string ArchiveService = "backup/archive-service";

    /// <summary>mysqlbinlog registers with the primary like a replica, so it needs a server_id no real host has.</summary>
    public static uint ArchiveServerId(Host host) => 4_000_000_000u + host.ServerId;

    public static IReadOnlyList<RenderedFile> RenderAll(TemplateRenderer renderer, Topology topology, BackupStorage storage, string primaryAddress)
    {
        var policy = topology.Backup;
        var host = policy.BackupHost(topology);
        var files = new List<RenderedFile>
        {
            Render(renderer, Script, topology, host, "usr/local/sbin/hainfra-backup", []),
            Render(renderer, Env, topology, host, "etc/hainfra/backup.env", EnvView(topology, host, storage, primaryAddress)),
            Render(renderer, Recipients, topology, host, "etc/hainfra/backup-recipients.txt", new() { ["recipients"] = policy.Recipients.ToList() }),
            Render(renderer, Service, topology, host, "etc/systemd/system/hainfra-backup@.service", []),
        };
        foreach (var (kind, schedule) in policy.Schedules.ByKind())
        {
            files.Add(Render(renderer, Timer, topology, host, $"etc/systemd/system/hainfra-backup-{kind}.timer",
                new() { ["kind"] = kind, ["schedule"] = schedule }));
        }

        if (policy.BinlogArchive)
        {
            files.Add(Render(renderer, ArchiveService, topology, host, "etc/systemd/system/hainfra-binlog-archive.service",
                new() { ["primary"] = topology.Primary.Name }));
        }

        return files;
    }

    /// <summary>ARCHIVE_SOURCES: each host's name and own address, "db1=10.0.1.5:3306,db2=…" (no spaces: one shell word).</summary>
    public static string ArchiveSources(IEnumerable<(string Name, string Address, int Port)> hosts) =>
        string.Join(",", hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Name}={h.Address}:{h.Port}")));

    private static Dictionary<string, object> EnvView(Topology topology, Host host, BackupStorage storage, string primaryAddress)
    {
        var policy = topology.Backup;
        return new()
        {
            ["serverId"] = host.ServerId.ToString(CultureInfo.InvariantCulture),
            ["destination"] = BackupSpellings.Destination.Of(policy.Destination),
            ["bucket"] = storage.Bucket,
            ["rclone"] = storage.Rclone.Select(kv => new Dictionary<string, object> { ["name"] = kv.Key, ["value"] = kv.Value }).ToList(),
            ["rcloneFlags"] = storage.RcloneFlags,
            ["compressionLevel"] = policy.CompressionLevel.ToString(CultureInfo.InvariantCulture),
            ["checksums"] = host.Role == HostRole.Replica ? "1" : "0",
            ["primary"] = topology.Primary.Name,
            ["primaryAddress"] = primaryAddress,
            ["archiveSources"] = ArchiveSources(topology.Hosts.Select(h => (h.Name, $"{h.Name}.{topology.Network.DnsZone}", 3306))),
            ["archiveServerId"] = ArchiveServerId(host).ToString(CultureInfo.InvariantCulture),
            ["rpoSeconds"] = policy.Objectives.RpoSeconds.ToString(CultureInfo.InvariantCulture),
            ["archiveRotateSeconds"] = Math.Max(1, policy.Objectives.RpoSeconds / 3).ToString(CultureInfo.InvariantCulture),
            // Archived segments stay on the backup host a day as a second copy of the newest ones.
            ["binlogLocalKeepMinutes"] = "1440",
        };
    }

    private static RenderedFile Render(TemplateRenderer renderer, string template, Topology topology, Host host, string path, Dictionary<string, object> view)
    {
        var entry = renderer.Catalog.Get(template);
        view["generatedBy"] = TemplateRenderer.GeneratedBy(entry, $"backup host {host.Name} of stack {topology.Stack}");
        view["host"] = host.Name;
        view["stack"] = topology.Stack;
        view.TryAdd("primary", topology.Primary.Name);
        return new RenderedFile($"{host.Name}/{path}", renderer.Render(template, view), template);
    }
}
