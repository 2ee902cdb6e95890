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
    private readonly InProcessRunQueue queue;

    internal BackgroundContextScheduler(SleepTimeMemory memory, TimeProvider time, ILogger logger)
    {
        this.memory = memory;
        this.time = time;
        this.logger = logger;
        queue = new InProcessRunQueue(SleeperKind.Context, AttemptAsync, maxAttempts: 1, TimeSpan.Zero, time, logger, waitForScheduledRuns: true);
    }

    /// <summary>Every run, newest first; with a context id, only its runs.</summary>
    public IReadOnlyList<RunRecord> Runs(string? contextId = null) => queue.Runs(contextId);

    /// <summary>Completes once no run is queued (a debounced one included) or running, and no trigger is being handled.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => queue.WhenIdleAsync(cancellationToken);

    public async Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default)
    {
        RequireContexts(kind);
        var decision = TriggerDecision.AfterAppend(memory.Options.Schedule, await UnreadAsync(memoryId, cancellationToken).ConfigureAwait(false), time.GetUtcNow());
        if (decision.Trigger is { } trigger)
        {
            queue.Enqueue(memoryId, memoryId, trigger, decision.RunAt, decision.Reschedule);
        }

        if (decision.IdleAt is { } idleAt)
        {
            queue.ArmIdle(memoryId, idleAt, ct => OnIdleAsync(memoryId, ct));
        }
    }

    public Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default)
    {
        RequireContexts(kind);
        return Task.FromResult(queue.Enqueue(sleeperId, sleeperId, trigger, time.GetUtcNow(), reschedule: true));
    }

    /// <summary>Stops: a run in flight ends cancelled (nothing committed), queued runs never start.</summary>
    public ValueTask DisposeAsync() => queue.DisposeAsync();

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
            // Counted only for a schedule that reads it: a long conversation is not re-counted on every turn for nothing.
            memory.Options.Schedule.TranscriptTokens > 0 ? unread.Sum(e => (long)ScaledTokenCount.OfEntry(e.Text, memory.Options.TokenCounter)) : 0,
            0,
            unread.Count == 0 ? null : unread.Min(e => e.AddedAt));
    }

    /// <summary>One sleep of the conversation with <see cref="SleepTimeEngine.SleepAsync"/>; a failure ends the run, the next turn tries again.</summary>
    private async Task<(RunRecord Run, bool Retry)> AttemptAsync(RunRecord run, CancellationToken stopping)
    {
        var options = memory.Options.Schedule.ToSleepOptions() with { Variant = memory.Options.Variant };
        var result = await memory.Engine.SleepAsync(run.SleeperId, options, stopping).ConfigureAwait(false);
        var ended = run with { Usage = result.Usage, Model = result.LearnedContext?.Provenance.Model };
        switch (result.Status)
        {
            case SleepStatus.Succeeded:
                memory.OnCommitted(result.LearnedContext!);
                return (ended with { Status = RunStatus.Succeeded, ContextVersion = result.LearnedContext!.Provenance.SourceVersion, LearnedVersion = result.LearnedContext.Version }, false);
            case SleepStatus.Skipped:
                return (ended with { Status = RunStatus.Skipped, Reason = result.Error ?? "nothing new to learn" }, false);
            default:
                logger.LogWarning("Sleep of conversation {ContextId} failed: {Reason} {Error}", run.SleeperId, result.FailureReason, result.Error);
                return (ended with { Status = RunStatus.Failed, Reason = result.FailureReason?.ToCode(), Error = result.Error }, false);
        }
    }

    private async Task OnIdleAsync(string contextId, CancellationToken stopping)
    {
        if (TriggerDecision.TimeTriggerDue(await UnreadAsync(contextId, stopping).ConfigureAwait(false)))
        {
            queue.Enqueue(contextId, contextId, TriggerKinds.Idle, time.GetUtcNow(), reschedule: true);
        }
    }

    private static void RequireContexts(string kind)
    {
        if (kind != SleeperKind.Context)
        {
            throw new SleepTimeValidationException("kind", "This scheduler sleeps conversations (kind 'context'); sleep-time agents use InProcessSleepScheduler.");
        }
    }
}
