using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Rules tying the replication method to the shape of the primary site.</summary>
internal static class MethodRules
{
    public static void Check(TopologyDto dto, ValidationContext ctx)
    {
        if (!Spellings.Method.TryParse(dto.Replication?.Method, out var method) || method != ReplicationMethod.ActivePassivePair)
        {
            return;
        }

        var primary = dto.Sites?.FirstOrDefault(s => Spellings.SiteKind.TryParse(s.Kind, out var k) && k == SiteKind.Primary);
        if (primary?.Hosts is { } hosts && hosts.Count != 2)
        {
            ctx.Add($"{primary.Path}.hosts", $"{hosts.Count} hosts", "an active-passive pair needs exactly two hosts in the primary site.",
                "list two hosts in the primary site (active first), or use method: primary-replica.");
        }
    }
}
