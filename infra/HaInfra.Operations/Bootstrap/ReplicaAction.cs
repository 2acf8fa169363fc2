using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Bootstrap;

/// <summary>What the bootstrap will do with one replica, decided before anything is written.</summary>
public abstract record ReplicaAction(string Why)
{
    /// <summary>Already replicating from the right source with GTIDs: nothing to do.</summary>
    public sealed record Keep(string Why) : ReplicaAction(Why);

    /// <summary>Configured for the right source but its threads are stopped without an error.</summary>
    public sealed record Start(string Why) : ReplicaAction(Why);

    /// <summary>Point the replica at the source, starting at <paramref name="From"/> (asserted before START).</summary>
    public sealed record Configure(GtidPosition From, bool SetSlavePos, bool HadChannel, string Why) : ReplicaAction(Why);

    /// <summary>Unsafe to touch: the bootstrap stops and says why and what to do.</summary>
    public sealed record Refuse(string Why, string Fix) : ReplicaAction(Why);
}
