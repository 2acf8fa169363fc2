using System.Globalization;
using System.Text.RegularExpressions;

namespace HaInfra.Operations.Galera;

/// <summary>
/// A node's grastate.dat: the cluster it belongs to and the last write set it committed. A clean shutdown writes the
/// seqno; a crash leaves -1 (the position is then only in InnoDB, read by --wsrep-recover). The last node to leave a
/// cluster cleanly gets safe_to_bootstrap: 1; Galera refuses --wsrep-new-cluster on any other node.
/// </summary>
public sealed partial record GrastateFile(string Uuid, long Seqno, bool SafeToBootstrap)
{
    public const string FileName = "grastate.dat";

    /// <summary>The all-zero uuid of a node that never joined a cluster (or was reset).</summary>
    public bool Empty => Uuid.Trim('0', '-').Length == 0;

    public static GrastateFile? Read(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
    }

    public static GrastateFile? Parse(string text)
    {
        var uuid = Uuid_().Match(text);
        var seqno = Seqno_().Match(text);
        if (!uuid.Success || !seqno.Success)
        {
            return null;
        }

        var safe = Safe().Match(text);
        return new GrastateFile(uuid.Groups[1].Value, long.Parse(seqno.Groups[1].Value, CultureInfo.InvariantCulture), safe.Success && safe.Groups[1].Value == "1");
    }

    /// <summary>Marks the node as the one to start the cluster from; only after it was chosen as the most advanced node.</summary>
    public static void MarkSafeToBootstrap(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        File.WriteAllText(path, Safe().Replace(File.ReadAllText(path), "safe_to_bootstrap: 1"));
    }

    [GeneratedRegex(@"(?m)^uuid:\s*([0-9a-f-]+)")]
    private static partial Regex Uuid_();

    [GeneratedRegex(@"(?m)^seqno:\s*(-?\d+)")]
    private static partial Regex Seqno_();

    [GeneratedRegex(@"(?m)^safe_to_bootstrap:\s*(\d)")]
    private static partial Regex Safe();
}
