namespace HaInfra.Cli;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An operation ran and failed, or found the topology unhealthy.</summary>
    public const int Failed = 1;

    /// <summary>Bad input (stack file, arguments): nothing was rendered, written or started.</summary>
    public const int InvalidInput = 2;
}
