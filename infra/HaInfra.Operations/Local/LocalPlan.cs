using HaInfra.Operations.Planning;

namespace HaInfra.Operations.Local;

/// <summary>How a host of a local plan was compared.</summary>
public enum LocalHostStatus
{
    /// <summary>Its running server's values against the my.cnf local up would write.</summary>
    Running,

    /// <summary>Not running (or not answering): the my.cnf on disk against the one local up would write.</summary>
    Stopped,

    /// <summary>In the stack, not in the local state: local up creates it.</summary>
    ToAdd,

    /// <summary>In the local state, no longer in the stack: local up leaves it as it is.</summary>
    ToRemove,
}

/// <param name="Note">Why a running server was compared from its file (it did not answer), or null.</param>
public sealed record LocalHostPlan(string Host, LocalHostStatus Status, HostOptionChanges Changes, string? Note = null);

/// <summary>What local up would change on this machine's realized stack.</summary>
/// <param name="Realized">False when the stack was never brought up here: every host is to add.</param>
public sealed record LocalPlan(string Stack, bool Realized, IReadOnlyList<LocalHostPlan> Hosts)
{
    /// <summary>Anything local up would do: an option to change, a host to add, remove or start.</summary>
    public bool HasChanges => Hosts.Any(h => h.Status != LocalHostStatus.Running || h.Changes.Changes.Count > 0);
}
