using System.Text.Json.Nodes;

namespace HaInfra.Model.Config;

/// <summary>Raw config to DTO: shape and type errors only; meaning is checked by validation.</summary>
internal static class TopologyDtoReader
{
    public static TopologyDto Read(RawStackConfig raw, NodeReader read, List<ConfigError> errors)
    {
        foreach (var key in raw.Values.Keys.Where(IsOurs))
        {
            if (!ConfigKeys.TopLevel.Contains(key, StringComparer.Ordinal))
            {
                var closest = ConfigKeys.TopLevel.MinBy(k => EditDistance.Between(k, key))!;
                var fix = EditDistance.Between(closest, key) <= 3
                    ? $"did you mean '{closest}'?"
                    : $"remove it; known keys: {string.Join(", ", ConfigKeys.TopLevel)}.";
                errors.Add(new ConfigError(key, null, "is not a hainfra setting.", fix));
            }
        }

        JsonNode? Get(string key) => raw.Values.TryGetValue(key, out var node) ? node : null;

        var replication = read.Map(Get(ConfigKeys.Replication), ConfigKeys.Replication, ConfigKeys.ReplicationKeys);
        var local = read.Map(Get(ConfigKeys.Local), ConfigKeys.Local, ConfigKeys.LocalKeys);
        var network = read.Map(Get(ConfigKeys.Network), ConfigKeys.Network, ConfigKeys.NetworkKeys);
        var sites = read.List(Get(ConfigKeys.Sites), ConfigKeys.Sites);
        var failover = read.Map(Get(ConfigKeys.Failover), ConfigKeys.Failover, ConfigKeys.FailoverKeys);

        return new TopologyDto(
            raw.Stack,
            read.Text(Get(ConfigKeys.Cloud), ConfigKeys.Cloud),
            read.Text(Get(ConfigKeys.Flavor), ConfigKeys.Flavor),
            read.Text(Get(ConfigKeys.Version), ConfigKeys.Version),
            replication is null ? null : new ReplicationDto(
                read.Text(replication["method"], $"{ConfigKeys.Replication}.method"),
                read.Text(replication["semiSyncWaitPoint"], $"{ConfigKeys.Replication}.semiSyncWaitPoint"),
                read.Integer(replication["semiSyncTimeoutMs"], $"{ConfigKeys.Replication}.semiSyncTimeoutMs"),
                read.Integer(replication["parallelWorkers"], $"{ConfigKeys.Replication}.parallelWorkers"),
                read.Text(replication["seedMethod"], $"{ConfigKeys.Replication}.seedMethod"),
                read.Text(replication["arbitrator"], $"{ConfigKeys.Replication}.arbitrator")),
            read.Flag(Get(ConfigKeys.Tls), ConfigKeys.Tls),
            sites?.Select((node, i) => ReadSite(node, $"{ConfigKeys.Sites}[{i}]", read)).ToList(),
            BackupDtoReader.Read(Get(ConfigKeys.Backup), read),
            local is null ? null : new LocalDto(
                read.Integer(local["basePort"], $"{ConfigKeys.Local}.basePort"),
                read.Integer(local["bufferPoolMb"], $"{ConfigKeys.Local}.bufferPoolMb"),
                read.Flag(local["siteNamespaces"], $"{ConfigKeys.Local}.siteNamespaces")),
            network is null ? null : new NetworkDto(
                read.TextList(network["applicationCidrs"], $"{ConfigKeys.Network}.applicationCidrs"),
                read.TextMap(network["vpcCidrs"], $"{ConfigKeys.Network}.vpcCidrs"),
                read.Text(network["dnsZone"], $"{ConfigKeys.Network}.dnsZone"),
                read.Text(network["adminSshPublicKey"], $"{ConfigKeys.Network}.adminSshPublicKey")),
            failover is null ? null : new FailoverDto(
                read.Flag(failover["auto"], $"{ConfigKeys.Failover}.auto"),
                read.Integer(failover["checkIntervalMs"], $"{ConfigKeys.Failover}.checkIntervalMs"),
                read.Integer(failover["failureCount"], $"{ConfigKeys.Failover}.failureCount"),
                read.Integer(failover["deadlineSeconds"], $"{ConfigKeys.Failover}.deadlineSeconds"),
                read.Integer(failover["antiFlapMinutes"], $"{ConfigKeys.Failover}.antiFlapMinutes"),
                read.Integer(failover["maxLagSeconds"], $"{ConfigKeys.Failover}.maxLagSeconds"),
                read.TextList(failover["neverPromote"], $"{ConfigKeys.Failover}.neverPromote")));
    }

    private static bool IsOurs(string key) => key.StartsWith(RawStackConfig.Namespace + ":", StringComparison.Ordinal);

    private static SiteDto ReadSite(JsonNode? node, string path, NodeReader read)
    {
        var site = read.Map(node, path, ConfigKeys.SiteKeys);
        if (site is null)
        {
            return new SiteDto(path, null, null, null, null, null, null, null);
        }

        var hosts = read.List(site["hosts"], $"{path}.hosts");
        return new SiteDto(
            path,
            read.Text(site["name"], $"{path}.name"),
            read.Text(site["kind"], $"{path}.kind"),
            read.Text(site["region"], $"{path}.region"),
            read.TextList(site["zones"], $"{path}.zones"),
            read.Text(site["replication"], $"{path}.replication"),
            read.Flag(site["allowSemiSyncOverWan"], $"{path}.allowSemiSyncOverWan"),
            hosts?.Select((h, i) => ReadHost(h, $"{path}.hosts[{i}]", read)).ToList(),
            read.Flag(site["allowGaleraOverWan"], $"{path}.allowGaleraOverWan"));
    }

    private static HostDto ReadHost(JsonNode? node, string path, NodeReader read)
    {
        var host = read.Map(node, path, ConfigKeys.HostKeys);
        if (host is null)
        {
            return new HostDto(path, null, null, null, null, null, null, null);
        }

        return new HostDto(
            path,
            read.Text(host["name"], $"{path}.name"),
            read.Text(host["size"], $"{path}.size"),
            read.Integer(host["dataDiskGb"], $"{path}.dataDiskGb"),
            read.Long(host["serverId"], $"{path}.serverId"),
            read.Text(host["zone"], $"{path}.zone"),
            read.Integer(host["dataDiskIops"], $"{path}.dataDiskIops"),
            read.Integer(host["dataDiskThroughputMbps"], $"{path}.dataDiskThroughputMbps"));
    }
}
