using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Runs every rule over the DTO; rules never stop early, so all problems are reported at once.</summary>
internal static class TopologyValidator
{
    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        StackRules.Check(dto, ctx);
        SiteRules.Check(dto, ctx);
        HostRules.Check(dto, ctx);
        MethodRules.Check(dto, ctx);
        GaleraRules.Check(dto, ctx);
        BackupRules.Check(dto, ctx);
        NetworkRules.Check(dto, ctx);
        DiskRules.Check(dto, ctx);
        AzureRules.Check(dto, ctx);
        FailoverRules.Check(dto, ctx);
    }
}
