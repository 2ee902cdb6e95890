using Microsoft.Extensions.Logging;

namespace SleepTime;

/// <summary>
/// The in-process run mechanics the library's schedulers share, whatever kind of sleeper they run: one run at a time
/// per sleeper, one queued run that later triggers join (its start moved or kept as the trigger asks), start and
/// idle timers on the <see cref="TimeProvider"/>, retries with backoff, and the <see cref="RunRecord"/>s. The
/// scheduler of each kind supplies one thing: how one attempt of a run goes.
/// </summary>
public sealed class InProcessRunQueue : IAsyncDisposable
{
    private readonly string kind;
    private readonly Func<RunRecord, CancellationToken, Task<(RunRecord Run, bool Retry)>> attempt;
    private readonly int maxAttempts;
    private readonly TimeSpan retryDelay;
    private readonly bool waitForScheduledRuns;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Sleeper> sleepers = new(StringComparer.Ordinal);
    private readonly List<RunRecord> runs = [];
    private readonly CancellationTokenSource stopping = new();
    private int busy;

    /// <param name="attempt">Runs one attempt of a run: returns it final (succeeded, skipped, failed, cancelled), or still running with its error and whether a retry may help.</param>
    /// <param name="waitForScheduledRuns">Whether <see cref="WhenIdleAsync"/> also waits for queued runs that are not due yet (a debounce on the real clock).</param>
    public InProcessRunQueue(string kind, Func<RunRecord, CancellationToken, Task<(RunRecord Run, bool Retry)>> attempt, int maxAttempts, TimeSpan retryDelay, TimeProvider time, ILogger logger, bool waitForScheduledRuns = false)
    {
        this.kind = kind;
        this.attempt = attempt;
        this.maxAttempts = Math.Max(1, maxAttempts);
        this.retryDelay = retryDelay;
        this.time = time;
        this.logger = logger;
        this.waitForScheduledRuns = waitForScheduledRuns;
    }

    public CancellationToken Stopping => stopping.Token;

    /// <summary>Every run, newest first; with a sleeper id, only its runs.</summary>
    public IReadOnlyList<RunRecord> Runs(string? sleeperId = null)
    {
        lock (gate)
        {
            return runs.Where(r => sleeperId is null || r.SleeperId == sleeperId).Reverse().ToList();
        }
    }

    /// <summary>Completes once no run is running or due (or queued at all, when waiting for scheduled runs) and no timer's work is being handled.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!IsIdle())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Joins the sleeper's queued run or queues one, and arms its start.</summary>
    public RunRecord Enqueue(string sleeperId, string memoryId, string trigger, DateTimeOffset runAt, bool reschedule)
    {
        lock (gate)
        {
            var state = StateOf(sleeperId);
            if (state.Queued is { } waiting)
            {
                var notBefore = reschedule || runAt < waiting.NotBefore ? runAt : waiting.NotBefore;
                state.Queued = Replace(waiting with { Coalesced = waiting.Coalesced + 1, NotBefore = notBefore });
            }
            else
            {
                state.Queued = new RunRecord(
                    "run_" + Guid.NewGuid().ToString("N"), "local", kind, sleeperId, memoryId, RunStatus.Queued, trigger,
                    null, null, 0, 0, false, null, null, TokenUsage.Zero, 0, null, time.GetUtcNow(), runAt, null, null);
                runs.Add(state.Queued);
            }

            ArmStart(sleeperId, state);
            return state.Queued;
        }
    }

    /// <summary>(Re-)arms the sleeper's idle timer: every change restarts the quiet period.</summary>
    public void ArmIdle(string sleeperId, DateTimeOffset at, Func<CancellationToken, Task> onIdle)
    {
        lock (gate)
        {
            var state = StateOf(sleeperId);
            state.IdleTimer?.Dispose();
            state.IdleTimer = time.CreateTimer(_ => Track(() => onIdle(stopping.Token)), null, Later(at), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Tokens the sleeper's runs spent since the start of today (UTC).</summary>
    public long SpentToday(string sleeperId)
    {
        var dayStart = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        lock (gate)
        {
            return runs.Where(r => r.SleeperId == sleeperId && (r.StartedAt ?? r.QueuedAt) >= dayStart).Sum(r => r.Usage.TotalTokens);
        }
    }

    /// <summary>Stops: the runs in flight end cancelled, queued runs stay queued and never start.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        lock (gate)
        {
            foreach (var state in sleepers.Values)
            {
                state.IdleTimer?.Dispose();
                state.StartTimer?.Dispose();
            }
        }

        while (Volatile.Read(ref busy) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5)).ConfigureAwait(false);
        }
    }

    private void ArmStart(string sleeperId, Sleeper state)
    {
        if (state.Running || state.Queued is not { } queued || stopping.IsCancellationRequested)
        {
            return;
        }

        state.StartTimer?.Dispose();
        state.StartTimer = time.CreateTimer(_ => Track(() => StartAsync(sleeperId)), null, Later(queued.NotBefore), Timeout.InfiniteTimeSpan);
    }

    private async Task StartAsync(string sleeperId)
    {
        RunRecord run;
        lock (gate)
        {
            var state = StateOf(sleeperId);
            if (state.Running || state.Queued is not { } queued || stopping.IsCancellationRequested)
            {
                return;
            }

            state.Running = true;
            state.Queued = null;
            run = Replace(queued with { Status = RunStatus.Running, StartedAt = time.GetUtcNow() });
        }

        try
        {
            for (var number = 1; ; number++)
            {
                run = Replace(run with { Attempt = number });
                var (ended, retry) = await attempt(run, stopping.Token).ConfigureAwait(false);
                run = Replace(ended);
                if (!retry || number >= maxAttempts || stopping.IsCancellationRequested)
                {
                    Replace(run with { Status = run.Status == RunStatus.Running ? RunStatus.Failed : run.Status, FinishedAt = time.GetUtcNow() });
                    break;
                }

                await Task.Delay(retryDelay * Math.Pow(2, number - 1), time, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Replace(run with { Status = RunStatus.Cancelled, Reason = "The scheduler stopped.", FinishedAt = time.GetUtcNow() });
        }
        catch (Exception ex)
        {
            // Nothing is ever left running: an unexpected error ends the run failed, saying what it was.
            logger.LogError(ex, "Sleep run {RunId} failed unexpectedly", run.Id);
            Replace(run with { Status = RunStatus.Failed, Error = $"{ex.GetType().Name}: {ex.Message}", FinishedAt = time.GetUtcNow() });
        }
        finally
        {
            lock (gate)
            {
                var state = StateOf(sleeperId);
                state.Running = false;
                ArmStart(sleeperId, state);
            }
        }
    }

    private bool IsIdle()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return busy == 0 && sleepers.Values.All(s => !s.Running
                && (s.Queued is null || stopping.IsCancellationRequested || (!waitForScheduledRuns && s.Queued.NotBefore > now)));
        }
    }

    /// <summary>Runs a timer's work as outstanding, so <see cref="WhenIdleAsync"/> waits for it; failures are logged, never lost in a timer thread.</summary>
    private void Track(Func<Task> work)
    {
        Interlocked.Increment(ref busy);
        _ = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A sleep trigger failed");
            }
            finally
            {
                Interlocked.Decrement(ref busy);
            }
        });
    }

    private RunRecord Replace(RunRecord run)
    {
        lock (gate)
        {
            var index = runs.FindIndex(r => r.Id == run.Id);
            runs[index] = run;
            return run;
        }
    }

    private Sleeper StateOf(string sleeperId)
    {
        if (!sleepers.TryGetValue(sleeperId, out var state))
        {
            sleepers[sleeperId] = state = new Sleeper();
        }

        return state;
    }

    private TimeSpan Later(DateTimeOffset at) => at - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private sealed class Sleeper
    {
        public RunRecord? Queued { get; set; }

        public bool Running { get; set; }

        public ITimer? StartTimer { get; set; }

        public ITimer? IdleTimer { get; set; }
    }
}
