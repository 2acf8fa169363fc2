using System.Globalization;
using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>One attribute of a host present on both sides that differs (size, disk, zone, site …).</summary>
public sealed record HostAttributeChange(string Host, string Attribute, string Old, string New);

/// <summary>Hosts added, removed and changed between two topologies, in the head's site order (removed ones in the base's).</summary>
public sealed record HostChanges(IReadOnlyList<Host> Added, IReadOnlyList<Host> Removed, IReadOnlyList<HostAttributeChange> Changed)
{
    public bool Any => Added.Count + Removed.Count + Changed.Count > 0;

    public static HostChanges Compare(Topology? before, Topology after)
    {
        var old = before?.Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal) ?? [];
        var added = after.Hosts.Where(h => !old.ContainsKey(h.Name)).ToList();
        var removed = before?.Hosts.Where(h => !after.Hosts.Any(n => n.Name == h.Name)).ToList() ?? [];
        var changed = new List<HostAttributeChange>();
        foreach (var host in after.Hosts.Where(h => old.ContainsKey(h.Name)))
        {
            var was = old[host.Name];
            void Check(string attribute, string a, string b)
            {
                if (a != b)
                {
                    changed.Add(new HostAttributeChange(host.Name, attribute, a, b));
                }
            }

            Check("site", was.Site, host.Site);
            Check("zone", was.Zone, host.Zone);
            Check("size", SizeText(was.Size), SizeText(host.Size));
            Check("dataDiskGb", Number(was.DataDiskGb), Number(host.DataDiskGb));
            Check("dataDiskIops", Number(was.DataDisk.Iops), Number(host.DataDisk.Iops));
            Check("dataDiskThroughputMbps", Number(was.DataDisk.ThroughputMbps), Number(host.DataDisk.ThroughputMbps));
            Check("serverId", Number(was.ServerId), Number(host.ServerId));
        }

        return new HostChanges(added, removed, changed);
    }

    public static string SizeText(SizeClass size) => $"{size.Name} ({size.Vcpus} vCPU, {size.MemoryGb} GiB)";

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
