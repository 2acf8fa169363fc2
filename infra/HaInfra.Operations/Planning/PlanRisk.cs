namespace HaInfra.Operations.Planning;

/// <summary>How bad a risk is: data lost or a host rebuilt, or something a DBA must know before merging.</summary>
public enum RiskLevel
{
    /// <summary>Data is deleted or a host/disk is replaced (its data lost): the verdict becomes DESTRUCTIVE.</summary>
    Destructive,

    /// <summary>No data lost, but availability, durability or security gets weaker, or the primary is touched.</summary>
    Warning,
}

/// <summary>One risk of a change, with a stable code (for the JSON schema and for filtering) and the sentence a DBA reads.</summary>
public sealed record PlanRisk(RiskLevel Level, string Code, string Text);
