namespace HaInfra.Operations.Failover;

/// <summary>
/// Work the monitor runs beside its failover rounds: at most one run at a time and at most one start per interval.
/// A round only starts it and never waits for it, so a slow run (a dead server's connect timeout) cannot delay a
/// failover decision.
/// </summary>
internal sealed class SideJob(TimeSpan interval)
{
    private DateTimeOffset _due;
    private Task _running = Task.CompletedTask;

    public void StartIfDue(Func<Task> run)
    {
        var now = DateTimeOffset.UtcNow;
        if (!_running.IsCompleted || now < _due)
        {
            return;
        }

        _due = now + interval;
        _running = Task.Run(run, CancellationToken.None);
    }
}
