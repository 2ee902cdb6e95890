using Microsoft.Extensions.Logging;

namespace SleepTime.Extensions.AI;

/// <summary>
/// The in-process scheduler of a <see cref="SleepTimeMemory"/>'s conversations: the same <see cref="ISleepScheduler"/>
/// as the server's, for <see cref="SleeperKind.Context"/> sleepers. It makes the same decisions
/// (<see cref="TriggerDecision.AfterAppend"/> on what is unread since the learned context's source version), keeps
/// the same <see cref="RunRecord"/>s (one running and at most one queued run per conversation; later triggers join
/// the queued one) and sleeps with <see cref="SleepTimeEngine.SleepAsync"/> in the background. Nothing here ever
/// waits for a sleep, and a sleep that fails or throws only ends its run <c>failed</c>, saying why.
/// </summary>
public sealed class BackgroundContextScheduler : ISleepScheduler, IAsyncDisposable
{
    private readonly SleepTimeMemory memory;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Sleeper> sleepers = new(StringComparer.Ordinal);
    private readonly List<RunRecord> runs = [];
    private readonly CancellationTokenSource stopping = new();
    private int busy;

    internal BackgroundContextScheduler(SleepTimeMemory memory, TimeProvider time, ILogger logger)
    {
        this.memory = memory;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Every run, newest first; with a context id, only its runs.</summary>
    public IReadOnlyList<RunRecord> Runs(string? contextId = null)
    {
        lock (gate)
        {
            return runs.Where(r => contextId is null || r.SleeperId == contextId).Reverse().ToList();
        }
    }

    /// <summary>Completes once no run is queued (a debounced one included) or running, and no trigger is being handled.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!IsIdle())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default)
    {
        RequireContexts(kind);
        var unread = await UnreadAsync(memoryId, cancellationToken).ConfigureAwait(false);
        var decision = TriggerDecision.AfterAppend(memory.Options.Schedule, unread, time.GetUtcNow());
        if (decision.Trigger is { } trigger)
        {
            Enqueue(memoryId, trigger, decision.RunAt, decision.Reschedule);
        }

        if (decision.IdleAt is { } idleAt)
        {
            lock (gate)
            {
                var state = StateOf(memoryId);
                state.IdleTimer?.Dispose();
                state.IdleTimer = time.CreateTimer(_ => Track(() => OnIdleAsync(memoryId)), null, Later(idleAt), Timeout.InfiniteTimeSpan);
            }
        }
    }

    public Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default)
    {
        RequireContexts(kind);
        return Task.FromResult(Enqueue(sleeperId, trigger, time.GetUtcNow(), reschedule: true));
    }

    /// <summary>Stops: a run in flight ends cancelled (nothing committed), queued runs never start.</summary>
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

    private async Task<UnreadSources> UnreadAsync(string contextId, CancellationToken cancellationToken)
    {
        var context = await memory.Contexts.GetAsync(contextId, cancellationToken).ConfigureAwait(false);
        if (context is null)
        {
            return default;
        }

        var learned = await memory.GetLearnedContextAsync(contextId, cancellationToken).ConfigureAwait(false);
        var read = learned is not null && context.CanExtend(learned.Provenance.SourceVersion) ? learned.Provenance.SourceVersion : 0;
        var unread = context.Entries.Where(e => e.Version > read).ToList();
        return new UnreadSources(
            unread.Count,
            unread.Count(e => e.Role == "user"),
            0,
            0,
            unread.Count == 0 ? null : unread.Min(e => e.AddedAt));
    }

    private RunRecord Enqueue(string contextId, string trigger, DateTimeOffset runAt, bool reschedule)
    {
        lock (gate)
        {
            var state = StateOf(contextId);
            if (state.Queued is { } waiting)
            {
                var notBefore = reschedule || runAt < waiting.NotBefore ? runAt : waiting.NotBefore;
                state.Queued = Replace(waiting with { Coalesced = waiting.Coalesced + 1, NotBefore = notBefore });
            }
            else
            {
                var run = new RunRecord(
                    "run_" + Guid.NewGuid().ToString("N"), "local", SleeperKind.Context, contextId, contextId, RunStatus.Queued, trigger,
                    null, null, 0, 0, false, null, null, TokenUsage.Zero, 0, null, time.GetUtcNow(), runAt, null, null);
                runs.Add(run);
                state.Queued = run;
            }

            ArmStart(contextId, state);
            return state.Queued;
        }
    }

    private void ArmStart(string contextId, Sleeper state)
    {
        if (state.Running || state.Queued is not { } queued || stopping.IsCancellationRequested)
        {
            return;
        }

        state.StartTimer?.Dispose();
        state.StartTimer = time.CreateTimer(_ => Track(() => RunAsync(contextId)), null, Later(queued.NotBefore), Timeout.InfiniteTimeSpan);
    }

    private async Task RunAsync(string contextId)
    {
        RunRecord run;
        lock (gate)
        {
            var state = StateOf(contextId);
            if (state.Running || state.Queued is not { } queued || stopping.IsCancellationRequested)
            {
                return;
            }

            state.Running = true;
            state.Queued = null;
            run = Replace(queued with { Status = RunStatus.Running, StartedAt = time.GetUtcNow(), Attempt = 1 });
        }

        try
        {
            var options = memory.Options.Schedule.ToSleepOptions() with { Variant = memory.Options.Variant };
            var result = await memory.Engine.SleepAsync(contextId, options, stopping.Token).ConfigureAwait(false);
            var ended = run with { Usage = result.Usage, Model = result.LearnedContext?.Provenance.Model, FinishedAt = time.GetUtcNow() };
            switch (result.Status)
            {
                case SleepStatus.Succeeded:
                    memory.OnCommitted(result.LearnedContext!);
                    Replace(ended with
                    {
                        Status = RunStatus.Succeeded,
                        ContextVersion = result.LearnedContext!.Provenance.SourceVersion,
                        LearnedVersion = result.LearnedContext.Version,
                    });
                    break;
                case SleepStatus.Skipped:
                    Replace(ended with { Status = RunStatus.Skipped, Reason = result.Error ?? "nothing new to learn" });
                    break;
                default:
                    logger.LogWarning("Sleep of conversation {ContextId} failed: {Reason} {Error}", contextId, result.FailureReason, result.Error);
                    Replace(ended with { Status = RunStatus.Failed, Reason = result.FailureReason?.ToCode(), Error = result.Error });
                    break;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Replace(run with { Status = RunStatus.Cancelled, Reason = "The scheduler stopped.", FinishedAt = time.GetUtcNow() });
        }
        catch (Exception ex)
        {
            // Nothing is ever left running: an unexpected error ends the run failed, saying what it was.
            logger.LogError(ex, "Sleep of conversation {ContextId} failed unexpectedly", contextId);
            Replace(run with { Status = RunStatus.Failed, Reason = "error", Error = $"{ex.GetType().Name}: {ex.Message}", FinishedAt = time.GetUtcNow() });
        }
        finally
        {
            lock (gate)
            {
                var state = StateOf(contextId);
                state.Running = false;
                ArmStart(contextId, state);
            }
        }
    }

    private async Task OnIdleAsync(string contextId)
    {
        if (TriggerDecision.TimeTriggerDue(await UnreadAsync(contextId, stopping.Token).ConfigureAwait(false)))
        {
            Enqueue(contextId, TriggerKinds.Idle, time.GetUtcNow(), reschedule: true);
        }
    }

    private bool IsIdle()
    {
        lock (gate)
        {
            return busy == 0 && sleepers.Values.All(s => !s.Running && (s.Queued is null || stopping.IsCancellationRequested));
        }
    }

    /// <summary>Runs a timer's work as outstanding, so <see cref="WhenIdleAsync"/> waits for it; failures are logged.</summary>
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

    private RunRecord Replace(RunRecord run)
    {
        lock (gate)
        {
            var index = runs.FindIndex(r => r.Id == run.Id);
            runs[index] = run;
            return run;
        }
    }

    private Sleeper StateOf(string contextId)
    {
        if (!sleepers.TryGetValue(contextId, out var state))
        {
            sleepers[contextId] = state = new Sleeper();
        }

        return state;
    }

    private TimeSpan Later(DateTimeOffset at) => at - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private static void RequireContexts(string kind)
    {
        if (kind != SleeperKind.Context)
        {
            throw new SleepTimeValidationException("kind", "This scheduler sleeps conversations (kind 'context'); sleep-time agents use InProcessSleepScheduler.");
        }
    }

    private sealed class Sleeper
    {
        public RunRecord? Queued { get; set; }

        public bool Running { get; set; }

        public ITimer? StartTimer { get; set; }

        public ITimer? IdleTimer { get; set; }
    }
}
