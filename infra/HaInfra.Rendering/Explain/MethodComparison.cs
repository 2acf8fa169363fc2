using System.Globalization;
using HaInfra.Model.Failover;

namespace HaInfra.Rendering.Explain;

/// <summary>One replication method, the way a user choosing between them asks about it.</summary>
public sealed record MethodRow(
    string Method, string Stack, string Shape, string LosingOneHost, string Rpo, string WriteCost, string Conflicts, string Operations);

/// <summary>
/// What each replication method gives and costs: write availability when one host is lost, RPO on failover, the
/// write overhead, conflicts and operational cost. The behaviour is the toolkit's own (the failover settings come from
/// the stack the user passes); the figures are a recorded bench/methods run on this machine, quoted with their origin,
/// or "not measured".
/// </summary>
public static class MethodComparison
{
    public static IReadOnlyList<MethodRow> Build(FailoverPolicy failover, int semiSyncTimeoutMs, MethodFigures? figures)
    {
        string F(string name, string format) =>
            figures?[name] is { } value ? value.ToString(format, CultureInfo.InvariantCulture) : "not measured";

        var detection = $"dead after {failover.FailureCount} failed probes {failover.CheckInterval.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms apart and no replica still hearing it";
        var monitor = failover.Auto
            ? $"the monitor fails over by itself ({detection})"
            : $"an operator runs `local failover` (automatic failover is off in this stack; the monitor would say {detection})";
        string Cost(string prefix) =>
            $"{F($"{prefix}_tps", "0")} tps, {F($"{prefix}_ratio", "0.00")}× async in the same rounds; p99 commit latency {F($"{prefix}_p99_ms", "0.0")} ms";

        return
        [
            new(
                "primary-replica, asynchronous",
                "a site without `replication: semi-sync`",
                "One writable primary; every replica applies the primary's binlog as it receives it.",
                $"The primary: writes stop until {monitor}; measured {F("async_failover_s", "0.00")} s to the next acknowledged write. A replica: writes go on.",
                $"What the promoted replica had not received when the primary died: up to its lag (measured lag p99 {F("async_lag_p99_s", "0")} s). The most advanced replica of the primary region is promoted.",
                $"The baseline: {F("async_tps", "0")} tps; p99 commit latency {F("async_p99_ms", "0.0")} ms.",
                "None: one writable server; every other is read_only and fenced on a role change.",
                $"Two hosts or more. An old primary rejoins with its unreplicated tail saved and rewound (`local up`: measured {F("async_rejoin_s", "0.00")} s)."),
            new(
                "primary-replica, semi-synchronous",
                "a same-city site with `replication: semi-sync` (the default local stack)",
                "As asynchronous, and each commit waits until a same-city replica has it in its relay log before it returns (after-sync).",
                $"The primary: as asynchronous, measured {F("semisync_failover_s", "0.00")} s. The semi-sync replica: one commit waits {semiSyncTimeoutMs.ToString(CultureInfo.InvariantCulture)} ms (`semiSyncTimeoutMs`), then commits go on asynchronously and HaInfraSemiSyncFellBackToAsync fires.",
                $"0 while a same-city replica acknowledges: the promoted replica holds every acknowledged commit. After {semiSyncTimeoutMs.ToString(CultureInfo.InvariantCulture)} ms without an acknowledgement it is asynchronous's RPO until the replica is back (measured lag p99 {F("semisync_lag_p99_s", "0")} s).",
                $"{Cost("semisync")}: a round trip to the replica in every commit.",
                "None: one writable server, as asynchronous.",
                $"A replica in another zone of the same city (a WAN round trip is refused unless `allowSemiSyncOverWan`). Rejoin as asynchronous (measured {F("semisync_rejoin_s", "0.00")} s)."),
            new(
                "active-passive",
                "`method: active-passive` (stacks/Pulumi.local-ap.yaml)",
                "Two writers in the primary site replicating both ways, each in its own GTID domain, one writable; the other replicas follow the active.",
                $"The active: {monitor} and the passive takes writes without a repoint between the writers; measured {F("active_passive_failover_s", "0.00")} s. The passive: writes go on.",
                $"The passive is the active's replica: 0 when it acknowledges commits (a semi-sync primary site), else up to its lag (measured lag p99 {F("active_passive_lag_p99_s", "0")} s).",
                $"{Cost("active_passive")}: the ring carries every write back to the active, whose IO thread reads and drops it.",
                "A write on the passive by mistake flows to the active and every replica (the ring); `local status` names it and how to reconcile. HaInfra never makes both writable.",
                $"Exactly two hosts in the primary site and a ring channel to keep running (`local up` restarts it). Rejoin as the passive (measured {F("active_passive_rejoin_s", "0.00")} s)."),
            new(
                "Galera (synchronous multi-master)",
                "`method: galera` (stacks/Pulumi.local-galera.yaml)",
                "Three nodes or more (an odd count, or two and more with a garbd arbitrator) in the primary and same-city sites; a commit returns once every node has certified it; remote sites are asynchronous replicas of one node.",
                $"Any node: the others keep the majority and go on; writes through the endpoint resume on the next node once Galera evicts the dead one (evs.suspect_timeout 5 s); measured {F("galera_failover_s", "0.00")} s.",
                $"0 inside the cluster: a commit is on every node before it returns. The DR site: up to its lag (measured lag p99 {F("galera_lag_p99_s", "0")} s).",
                $"{Cost("galera")}: certification on every node in every commit, and flow control slows the cluster to its slowest node.",
                "Writes to the same rows on two nodes: one commit fails with a deadlock error (1213) the client sees. The endpoint sends writes to one node at a time.",
                $"Three nodes or more; a joiner copies the whole data (SST) unless it rejoins in time for IST; a fully stopped cluster restarts from the node with the latest data (`local up` finds it). Rejoin by IST (measured {F("galera_rejoin_s", "0.00")} s)."),
        ];
    }

    /// <summary>For a terminal: one block per method, one aspect per line.</summary>
    public static string RenderText(IReadOnlyList<MethodRow> rows, string heading)
    {
        var text = new System.Text.StringBuilder(heading).Append('\n');
        foreach (var row in rows)
        {
            text.Append('\n').Append(row.Method).Append(" — ").Append(row.Stack).Append('\n');
            foreach (var (label, value) in Aspects(row))
            {
                text.Append("  ").Append((label + ":").PadRight(18)).Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A Markdown table, one row per method (for the README).</summary>
    public static string RenderMarkdown(IReadOnlyList<MethodRow> rows, string heading)
    {
        var labels = Aspects(rows[0]).Select(a => a.Label).ToList();
        var text = new System.Text.StringBuilder(heading).Append("\n\n| method | ").Append(string.Join(" | ", labels)).Append(" |\n|---|")
            .Append(string.Concat(labels.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows)
        {
            text.Append("| **").Append(row.Method).Append("** (").Append(row.Stack).Append(") | ")
                .Append(string.Join(" | ", Aspects(row).Select(a => a.Value.Replace("|", "\\|", StringComparison.Ordinal)))).Append(" |\n");
        }

        return text.ToString();
    }

    private static IEnumerable<(string Label, string Value)> Aspects(MethodRow row) =>
    [
        ("shape", row.Shape),
        ("losing one host", row.LosingOneHost),
        ("RPO on failover", row.Rpo),
        ("write cost", row.WriteCost),
        ("conflicts", row.Conflicts),
        ("operations", row.Operations),
    ];
}
