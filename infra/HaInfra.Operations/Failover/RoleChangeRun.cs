using System.Diagnostics;
using HaInfra.Operations.Logging;

namespace HaInfra.Operations.Failover;

/// <summary>
/// One role change's clock: one overall deadline, of which the last part is kept back for a rollback, and named
/// steps that are logged with the time they ended ("promote  db2: ... (+0.214 s)"). A step that fails or runs out
/// of time raises <see cref="StepFailedException"/> naming it.
/// </summary>
public sealed class RoleChangeRun : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _steps;
    private readonly CancellationTokenSource _rollback;
    private readonly IStepLog _log;
    private readonly TimeSpan _deadline;

    public RoleChangeRun(string operation, TimeSpan deadline, IStepLog log, CancellationToken ct)
    {
        Operation = operation;
        _deadline = deadline;
        _log = log;
        RollbackReserve = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, deadline.Ticks / 3));
        _steps = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _steps.CancelAfter(deadline - RollbackReserve);
        _rollback = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _rollback.CancelAfter(deadline);
    }

    public string Operation { get; }

    /// <summary>Cancelled when the steps' share of the deadline is spent.</summary>
    public CancellationToken Token => _steps.Token;

    /// <summary>Cancelled at the overall deadline: what a rollback runs under.</summary>
    public CancellationToken RollbackToken => _rollback.Token;

    public TimeSpan RollbackReserve { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Time left for the steps (the rollback reserve excluded).</summary>
    public TimeSpan Remaining => _deadline - RollbackReserve - _clock.Elapsed;

    public async Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<(T Value, string Detail)>> body)
    {
        try
        {
            var (value, detail) = await body(Token);
            Log(name, detail);
            return value;
        }
        catch (OperationCanceledException) when (_steps.IsCancellationRequested)
        {
            throw new StepFailedException(name, $"the deadline ({_deadline.TotalSeconds:0.#} s) passed during this step");
        }
        catch (Exception e) when (e is Sql.SqlOperationException or OperationFailedException or IOException or System.Net.Sockets.SocketException)
        {
            throw new StepFailedException(name, e is OperationFailedException f ? f.Problem : e.Message, e, (e as OperationFailedException)?.Fix);
        }
    }

    public async Task StepAsync(string name, Func<CancellationToken, Task<string>> body) =>
        await StepAsync<bool>(name, async token => (true, await body(token)));

    public void Log(string name, string detail) => _log.Step(name, $"{detail} (+{_clock.Elapsed.TotalSeconds:0.000} s)");

    public void Warn(string message) => _log.Warn(message);

    public void Dispose()
    {
        _steps.Dispose();
        _rollback.Dispose();
    }
}

/// <summary>A named step of a role change failed; the operation says what it then did (rolled back, or stopped).</summary>
public sealed class StepFailedException(string step, string problem, Exception? inner = null, string? fix = null) : Exception($"step '{step}' failed: {problem}", inner)
{
    public string Step { get; } = step;

    public string Problem { get; } = problem;

    /// <summary>The fix the failing check named, if it was one.</summary>
    public string? Fix { get; } = fix;

    /// <summary>What the operator sees when the change stopped before it wrote anything.</summary>
    public OperationFailedException Stopped(string operation) => new(
        $"{operation} stopped at step '{Step}': {Problem.TrimEnd('.')}{(Step is "check" or "claim" ? "; nothing was changed." : "; the steps above say what was done.")}",
        Fix ?? "fix the cause named above, then run it again.");
}
