using System.Diagnostics;
using HaInfra.Operations.Logging;
using HaInfra.Operations.Sql;

namespace HaInfra.Operations.Bootstrap;

/// <summary>
/// Waits until every server accepts the admin login. New cloud hosts install packages and create the admin account
/// during first boot, so `pulumi up` reaches the bootstrap minutes before the servers are ready.
/// </summary>
public static class ServerWait
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public static async Task UntilReachableAsync(ISqlConnector connector, IReadOnlyDictionary<string, SqlEndpoint> endpoints, TimeSpan timeout, IStepLog log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var waiting = endpoints.Keys.Order(StringComparer.Ordinal).ToList();
        var lastErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var name in waiting.ToList())
            {
                try
                {
                    await using var client = await connector.ConnectAsync(endpoints[name], ct);
                    waiting.Remove(name);
                }
                catch (SqlOperationException e)
                {
                    lastErrors[name] = e.Message;
                }
            }

            if (waiting.Count == 0)
            {
                if (clock.Elapsed > Interval)
                {
                    log.Step("wait", $"all {endpoints.Count} servers accept the admin login after {clock.Elapsed.TotalSeconds:0} s");
                }

                return;
            }

            if (clock.Elapsed + Interval > timeout)
            {
                throw new OperationFailedException(
                    $"{waiting.Count} of {endpoints.Count} servers did not accept the admin login within {timeout.TotalSeconds:0} s:\n    " +
                    string.Join("\n    ", waiting.Select(w => lastErrors[w])),
                    "check that the hosts finished first boot (/var/log/hainfra-setup.log, over SSM) and that this machine can reach their private IPs on 3306.");
            }

            await Task.Delay(Interval, ct);
        }
    }
}
