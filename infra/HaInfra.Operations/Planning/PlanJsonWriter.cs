using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HaInfra.Model;

namespace HaInfra.Operations.Planning;

/// <summary>
/// The plan for machines, in the schema documented in schemas/plan.schema.json (its "schemaVersion" changes when a
/// field changes meaning). Written field by field with Utf8JsonWriter: deterministic, and no reflection (the CLI is a
/// Native AOT binary).
/// </summary>
public static class PlanJsonWriter
{
    public const int SchemaVersion = 1;

    public static string Write(Plan plan)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteString("stack", plan.Stack);
            w.WriteString("base", plan.BaseLabel);
            w.WriteString("head", plan.HeadLabel);
            w.WriteStartObject("verdict");
            w.WriteString("kind", VerdictName(plan.Verdict.Kind));
            w.WriteString("text", plan.Verdict.Text);
            w.WriteEndObject();
            w.WriteStartObject("primary");
            w.WriteString("host", plan.Primary.Host);
            w.WriteString("source", plan.Primary.Source);
            w.WriteString("initialBefore", plan.Primary.InitialBefore);
            w.WriteString("initialAfter", plan.Primary.InitialAfter);
            w.WriteEndObject();
            w.WriteStartObject("topology");
            if (plan.Before is null)
            {
                w.WriteNull("before");
            }
            else
            {
                WriteTopology(w, "before", plan.Before);
            }

            WriteTopology(w, "after", plan.After);
            w.WriteEndObject();
            w.WriteStartObject("hosts");
            WriteHosts(w, "added", plan.Hosts.Added);
            WriteHosts(w, "removed", plan.Hosts.Removed);
            w.WriteStartArray("changed");
            foreach (var c in plan.Hosts.Changed)
            {
                WriteStrings(w, ("host", c.Host), ("attribute", c.Attribute), ("old", c.Old), ("new", c.New));
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("risks");
            foreach (var r in plan.Risks)
            {
                WriteStrings(w, ("level", r.Level == RiskLevel.Destructive ? "destructive" : "warning"), ("code", r.Code), ("text", r.Text));
            }

            w.WriteEndArray();
            w.WriteStartArray("settings");
            foreach (var s in plan.Settings)
            {
                WriteStrings(w, ("path", s.Path), ("old", s.Old), ("new", s.New));
            }

            w.WriteEndArray();
            w.WriteStartArray("myCnf");
            foreach (var host in plan.Options)
            {
                w.WriteStartObject();
                w.WriteString("host", host.Host);
                w.WriteBoolean("needsRestart", host.NeedsRestart);
                w.WriteStartArray("changes");
                foreach (var c in host.Changes)
                {
                    WriteStrings(w, ("section", c.Section), ("key", c.Key), ("old", c.Old), ("new", c.New), ("applies", PlanText.Effect(c.Effect)));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteStrings(w, "restarts", plan.Restarts);
            WriteStrings(w, "filesChangedWithoutKeys", plan.FilesChanged);
            w.WriteBoolean("programCompared", plan.ProgramCompared);
            w.WriteStartArray("resources");
            foreach (var r in plan.Resources)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("type", r.Type);
                w.WriteString("op", r.Op.ToString().ToLowerInvariant());
                w.WriteBoolean("holdsData", r.HoldsData);
                w.WriteString("source", r.Source);
                WriteStrings(w, "replaceReasons", r.ReplaceReasons);
                w.WriteStartArray("properties");
                foreach (var p in r.Properties)
                {
                    w.WriteStartObject();
                    w.WriteString("path", p.Path);
                    w.WriteString("old", p.Old);
                    w.WriteString("new", p.New);
                    w.WriteBoolean("forcesReplacement", p.ForcesReplacement);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string VerdictName(VerdictKind kind) => kind switch
    {
        VerdictKind.NoChanges => "no-changes",
        VerdictKind.Safe => "safe",
        VerdictKind.NeedsRestart => "needs-restart",
        _ => "destructive",
    };

    private static void WriteTopology(Utf8JsonWriter w, string name, Topology topology)
    {
        w.WriteStartArray(name);
        foreach (var site in topology.Sites)
        {
            w.WriteStartObject();
            w.WriteString("site", site.Name);
            w.WriteString("kind", Spellings.SiteKind.Of(site.Kind));
            w.WriteString("region", site.Region);
            w.WriteString("replication", Spellings.ReplicationMode.Of(site.Mode));
            WriteStrings(w, "zones", site.Zones);
            WriteHosts(w, "hosts", site.Hosts);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteHosts(Utf8JsonWriter w, string name, IEnumerable<Host> hosts)
    {
        w.WriteStartArray(name);
        foreach (var h in hosts)
        {
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            w.WriteString("site", h.Site);
            w.WriteString("zone", h.Zone);
            w.WriteString("size", h.Size.Name);
            w.WriteNumber("dataDiskGb", h.DataDiskGb);
            w.WriteNumber("serverId", h.ServerId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>An object of string fields (null ones written as null), in the order given.</summary>
    private static void WriteStrings(Utf8JsonWriter w, params (string Name, string? Value)[] fields)
    {
        w.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
