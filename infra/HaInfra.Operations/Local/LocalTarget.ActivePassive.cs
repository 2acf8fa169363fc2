using HaInfra.Model;
using HaInfra.Operations.Bootstrap;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Local;

/// <summary>What local up does for an active-passive pair before it looks for errant transactions.</summary>
public sealed partial class LocalTarget
{
    /// <summary>
    /// Resumes the active's stopped ring channel from the passive (<see cref="PairRing.ResumeAsync"/>), so writes that
    /// landed on the passive while it was stopped reach the active instead of being rewound as an errant tail.
    /// </summary>
    private async Task ResumePairRingAsync(CancellationToken ct)
    {
        var live = Live();
        if (ActivePassivePair.PartnerOf(live, live.Primary.Name) is not { } passive)
        {
            return;
        }

        var context = RoleChange();
        try
        {
            await using var active = await _connector.ConnectAsync(context.Admin[live.Primary.Name], ct);
            await using var other = await _connector.ConnectAsync(context.Admin[passive.Name], ct);
            if (await PairRing.ResumeAsync(active, other, passive.Name, context.SourceFor(passive.Name), ct) is { } done)
            {
                _log.Step("ring", done);
            }
        }
        catch (SqlOperationException e) when (e.IsConnectionFailure)
        {
            // One of the pair is down: the failover, rejoin and bootstrap steps deal with it.
        }
    }
}
