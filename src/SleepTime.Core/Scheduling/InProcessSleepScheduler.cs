using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SleepTime;

/// <summary>
/// The scheduler of a library user without a database: the same <see cref="ISleepScheduler"/> as the server's, for
/// sleep-time agents over <see cref="AgentStores"/>. It makes the same decisions (<see cref="TriggerDecision"/>), runs
/// the same sleep (<see cref="AgentSleep"/>, committed as one unit of memory writes) and keeps the same
/// <see cref="RunRecord"/>s: one run at a time per sleeper, one queued run that later triggers join, retries with
/// backoff, a daily token cap. Its runs and timers live in the process; a server keeps them durable.
/// </summary>
public sealed class InProcessSleepScheduler(AgentStores stores, InProcessSchedulerOptions? options = null, TimeProvider? timeProvider = null, ILogger<InProcessSleepScheduler>? logger = null)
    : ISleepScheduler, IAsyncDisposable
{
    private readonly InProcessSchedulerOptions options = options ?? new InProcessSchedulerOptions();
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly ILogger logger = logger ?? NullLogger<InProcessSleepScheduler>.Instance;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Sleeper> sleepers = new(StringComparer.Ordinal);
    private readonly List<RunRecord> runs = [];
    private readonly CancellationTokenSource stopping = new();
    private int busy;

    /// <summary>Gives a sleep-time agent its model; a sleeper without one fails its runs saying so.</summary>
    public void Register(string sleepTimeAgentId, IChatClient model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (gate)
        {
            StateOf(sleepTimeAgentId).Model = model;
        }
    }

    /// <summary>Every run, newest first; with a sleeper id, only its runs.</summary>
    public IReadOnlyList<RunRecord> Runs(string? sleepTimeAgentId = null)
    {
        lock (gate)
        {
            return runs.Where(r => sleepTimeAgentId is null || r.SleeperId == sleepTimeAgentId).Reverse().ToList();
        }
    }

    /// <summary>Completes once no run is running or due and no trigger is being handled (for tests and shutdown).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!IsIdle())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsIdle()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return busy == 0 && sleepers.Values.All(s => !s.Running && (s.Queued is null || s.Queued.NotBefore > now));
        }
    }

    public async Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default)
    {
        RequireAgents(kind);
        foreach (var sleeper in await stores.Agents.ListSleepTimeAgentsAsync(memoryId, cancellationToken).ConfigureAwait(false))
        {
            var unread = await AgentSleep.UnreadAsync(stores, sleeper, cancellationToken).ConfigureAwait(false);
            var decision = TriggerDecision.AfterAppend(sleeper.Schedule, unread, time.GetUtcNow());
            if (decision.Trigger is { } trigger)
            {
                Enqueue(sleeper, trigger, decision.RunAt, decision.Reschedule);
            }

            if (decision.IdleAt is { } idleAt)
            {
                lock (gate)
                {
                    var state = StateOf(sleeper.Id);
                    state.IdleTimer?.Dispose();
                    state.IdleTimer = time.CreateTimer(_ => Track(() => OnIdleAsync(sleeper.Id)), null, Later(idleAt), Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    public async Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default)
    {
        RequireAgents(kind);
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(sleeperId, cancellationToken).ConfigureAwait(false) ?? throw new AgentNotFoundException(sleeperId);
        return Enqueue(sleeper, trigger, time.GetUtcNow(), reschedule: true);
    }

    /// <summary>Stops: the runs in flight end cancelled (their watermark unmoved), queued runs stay queued and never start.</summary>
    public async ValueTask DisposeAsync()
    {
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

        stopping.Dispose();
    }

    private RunRecord Enqueue(SleepTimeAgent sleeper, string trigger, DateTimeOffset runAt, bool reschedule)
    {
        lock (gate)
        {
            var state = StateOf(sleeper.Id);
            if (state.Queued is { } waiting)
            {
                var notBefore = reschedule || runAt < waiting.NotBefore ? runAt : waiting.NotBefore;
                state.Queued = Replace(waiting with { Coalesced = waiting.Coalesced + 1, NotBefore = notBefore });
            }
            else
            {
                state.Queued = Add(new RunRecord(
                    "run_" + Guid.NewGuid().ToString("N"), "local", SleeperKind.Agent, sleeper.Id, sleeper.PrimaryAgentId, RunStatus.Queued, trigger,
                    null, null, 0, 0, false, null, null, TokenUsage.Zero, 0, null, time.GetUtcNow(), runAt, null, null));
            }

            ArmStart(sleeper.Id, state);
            return state.Queued;
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
            for (var attempt = 1; ; attempt++)
            {
                run = Replace(run with { Attempt = attempt });
                var (finished, retry) = await ExecuteAsync(run).ConfigureAwait(false);
                run = Replace(finished);
                if (!retry || attempt >= options.MaxAttempts || stopping.IsCancellationRequested)
                {
                    Replace(run with { Status = run.Status == RunStatus.Running ? RunStatus.Failed : run.Status, FinishedAt = time.GetUtcNow() });
                    break;
                }

                await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1), time, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Replace(run with { Status = RunStatus.Cancelled, Reason = "The scheduler stopped.", FinishedAt = time.GetUtcNow() });
        }
        catch (Exception ex)
        {
            // Nothing is ever left running: an unexpected error ends the run failed, saying what it was.
            logger.LogError(ex, "Sleep-time run {RunId} failed unexpectedly", run.Id);
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

    /// <summary>One attempt: the run as it ended (or as it stands before a retry), and whether to try again.</summary>
    private async Task<(RunRecord Run, bool Retry)> ExecuteAsync(RunRecord run)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(run.SleeperId, stopping.Token).ConfigureAwait(false);
        if (sleeper is null)
        {
            return (run with { Status = RunStatus.Cancelled, Reason = "The sleep-time agent was deleted." }, false);
        }

        long? remaining = null;
        if (sleeper.Schedule.DailyTokenCap is { } cap)
        {
            var spent = SpentToday(sleeper.Id);
            if (spent >= cap)
            {
                return (run with { Status = RunStatus.Skipped, Reason = string.Create(CultureInfo.InvariantCulture, $"over_budget: the sleep-time agent spent {spent:N0} of its {cap:N0} daily sleep tokens.") }, false);
            }

            remaining = cap - spent;
        }

        IChatClient? model;
        lock (gate)
        {
            model = StateOf(sleeper.Id).Model;
        }

        if (model is null)
        {
            return (run with { Status = RunStatus.Failed, Reason = "no_model", Error = $"No model is registered for sleep-time agent '{sleeper.Id}'." }, false);
        }

        try
        {
            var result = await new AgentSleep(stores, options.Sleep, time).RunAsync(sleeper, model, run.Id, remaining, stopping.Token).ConfigureAwait(false);
            var usage = run.Usage + result.Usage;
            var ended = run with { Usage = usage, Cost = run.Cost + (double)(sleeper.Cost?.Price(ComputePhase.Sleep, result.Usage) ?? 0m), Model = result.Model ?? run.Model, ToolErrors = run.ToolErrors + result.ToolErrors, ReadFrom = result.ReadFrom };
            switch (result.Status)
            {
                case RunStatus.Skipped:
                    return (ended with { Status = RunStatus.Skipped, Reason = result.Reason }, false);
                case RunStatus.Failed:
                    return (ended with { Error = result.Error, Reason = result.FailureReason?.ToCode() }, result.FailureReason != SleepFailureReason.OverBudget);
            }

            var (changeSet, reason) = await stores.Memory.WriteAsync((writer, ct) => AgentSleep.CommitAsync(writer, sleeper, result, ct), stopping.Token).ConfigureAwait(false);
            if (result.MoreDocuments)
            {
                Enqueue(sleeper, TriggerKinds.Document, time.GetUtcNow(), reschedule: false);
            }

            return (ended with { Status = RunStatus.Succeeded, Reason = reason, ChangeSetId = changeSet?.Id, ReadTo = result.ReadTo, Error = null }, false);
        }
        catch (SleepTimeConflictException ex)
        {
            return (run with { Error = ex.Message, Reason = "conflict" }, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Sleep-time run {RunId} failed unexpectedly", run.Id);
            return (run with { Error = $"{ex.GetType().Name}: {ex.Message}" }, true);
        }
    }

    private async Task OnIdleAsync(string sleeperId)
    {
        if (await stores.Agents.GetSleepTimeAgentAsync(sleeperId, stopping.Token).ConfigureAwait(false) is { } sleeper
            && TriggerDecision.TimeTriggerDue(await AgentSleep.UnreadAsync(stores, sleeper, stopping.Token).ConfigureAwait(false)))
        {
            Enqueue(sleeper, TriggerKinds.Idle, time.GetUtcNow(), reschedule: true);
        }
    }

    private long SpentToday(string sleeperId)
    {
        var dayStart = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        lock (gate)
        {
            return runs.Where(r => r.SleeperId == sleeperId && (r.StartedAt ?? r.QueuedAt) >= dayStart).Sum(r => r.Usage.TotalTokens);
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
                logger.LogError(ex, "A sleep-time trigger failed");
            }
            finally
            {
                Interlocked.Decrement(ref busy);
            }
        });
    }

    private RunRecord Add(RunRecord run)
    {
        runs.Add(run);
        return run;
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

    private static void RequireAgents(string kind)
    {
        if (kind != SleeperKind.Agent)
        {
            throw new SleepTimeValidationException("kind", "The in-process scheduler runs sleep-time agents; a context sleeps with SleepTimeEngine.SleepAsync.");
        }
    }

    private sealed class Sleeper
    {
        public IChatClient? Model { get; set; }

        public RunRecord? Queued { get; set; }

        public bool Running { get; set; }

        public ITimer? StartTimer { get; set; }

        public ITimer? IdleTimer { get; set; }
    }
}

/// <summary>Settings of the <see cref="InProcessSleepScheduler"/>.</summary>
public sealed record InProcessSchedulerOptions
{
    /// <summary>Attempts a run gets before it ends failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry; doubled for each one after.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public AgentSleepOptions Sleep { get; init; } = new();
}
