namespace HaInfra.Operations.Failover;

/// <summary>What one replica says of the primary: connected (its IO thread runs), or not, or the replica is unreachable too.</summary>
public sealed record ReplicaReport(string Host, bool Reachable, bool Connected, string Detail);

public enum PrimaryHealth
{
    Alive,

    /// <summary>The monitor's probe failed, but not yet often enough, or some replica still hears the primary.</summary>
    Suspect,

    /// <summary>The probe failed <c>failureCount</c> times in a row and no reachable replica is connected to the primary.</summary>
    Dead,
}

/// <summary>
/// Never promote on one signal. The primary is dead only when the monitor's own probe failed the configured number
/// of times in a row AND every replica that answers says its IO thread is disconnected from it. A monitor cut off
/// from a primary the replicas still hear sees "suspect", and does nothing. Pure, so every case is unit-tested.
/// </summary>
public static class FailureDetector
{
    public static (PrimaryHealth Health, string Why) Judge(int consecutiveFailures, int failureCount, IReadOnlyList<ReplicaReport> replicas)
    {
        if (consecutiveFailures == 0)
        {
            return (PrimaryHealth.Alive, "the probe got the server's greeting");
        }

        if (consecutiveFailures < failureCount)
        {
            return (PrimaryHealth.Suspect, $"probe failed {consecutiveFailures} of {failureCount} times");
        }

        var answering = replicas.Where(r => r.Reachable).ToList();
        if (answering.Count == 0)
        {
            return (PrimaryHealth.Suspect, $"probe failed {consecutiveFailures} times, but no replica answers either: this monitor may be the one cut off");
        }

        var connected = answering.Where(r => r.Connected).ToList();
        if (connected.Count > 0)
        {
            return (PrimaryHealth.Suspect, $"probe failed {consecutiveFailures} times, but {string.Join(", ", connected.Select(r => r.Host))} still {(connected.Count == 1 ? "hears" : "hear")} the primary");
        }

        return (PrimaryHealth.Dead,
            $"probe failed {consecutiveFailures} times in a row and {string.Join(", ", answering.Select(r => $"{r.Host} ({r.Detail})"))} lost the primary too");
    }
}
