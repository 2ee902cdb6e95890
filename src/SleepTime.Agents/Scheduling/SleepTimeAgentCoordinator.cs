using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SleepTime.Agents;

/// <summary>
/// Decides when each sleep-time agent runs and runs it on a background worker. Per agent at most one run executes
/// and at most one waits; triggers that arrive meanwhile are coalesced into the waiting run. A run reads the
/// transcript and documents after the agent's committed watermark, proposes a change set, commits it (or holds it
/// for review), and only then moves the watermark, so a failed run loses nothing: its retry reads the same input.
/// </summary>
public sealed class SleepTimeAgentCoordinator : ITurnObserver, IAsyncDisposable
{
    private readonly AgentStores stores;
    private readonly SleepTimeCoordinatorOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ChangeSetCommitter committer;
    private readonly ConcurrentDictionary<string, Registration> models = new(StringComparer.Ordinal);
    private readonly Lock modelsGate = new();
    private readonly Dictionary<string, Schedule> schedules = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim concurrency;
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock outstandingGate = new();
    private int outstanding;
    private int stopped;
    private TaskCompletionSource idle = NewCompleted();
    private Task? worker;

    public SleepTimeAgentCoordinator(AgentStores stores, SleepTimeCoordinatorOptions? options = null, TimeProvider? timeProvider = null, ILogger<SleepTimeAgentCoordinator>? logger = null)
    {
        this.stores = stores ?? throw new ArgumentNullException(nameof(stores));
        this.options = options ?? new SleepTimeCoordinatorOptions();
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<SleepTimeAgentCoordinator>.Instance;
        committer = new ChangeSetCommitter(stores.Blocks, stores.ChangeSets, time);
        concurrency = new SemaphoreSlim(Math.Max(1, this.options.MaxConcurrentRuns));
    }

    /// <summary>Commit, review and revert of the change sets this coordinator's runs produce.</summary>
    public ChangeSetCommitter ChangeSets => committer;

    /// <summary>Gives a sleep-time agent its own model (cheaper or stronger than the primary agent's), replacing any earlier one.</summary>
    /// <param name="sleepTimeAgentId">The sleep-time agent.</param>
    /// <param name="model">Its model.</param>
    /// <param name="ownsModel">
    /// <see langword="true"/>: the coordinator owns <paramref name="model"/> and disposes it when it is replaced,
    /// unregistered, or the coordinator is disposed. <see langword="false"/> (default): the caller owns it (e.g. a
    /// client shared by several agents) and the coordinator never disposes it.
    /// </param>
    public void Register(string sleepTimeAgentId, IChatClient model, bool ownsModel = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sleepTimeAgentId);
        ArgumentNullException.ThrowIfNull(model);
        Registration? previous;
        lock (modelsGate)
        {
            models.TryGetValue(sleepTimeAgentId, out previous);
            models[sleepTimeAgentId] = new Registration(model, ownsModel);
        }

        if (previous is not null && !ReferenceEquals(previous.Model, model))
        {
            Release(previous);
        }
    }

    /// <summary>Forgets a sleep-time agent's model (e.g. the agent was deleted), disposing it when the coordinator owns it.</summary>
    /// <returns>Whether a model was registered.</returns>
    public bool Unregister(string sleepTimeAgentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sleepTimeAgentId);
        Registration? previous;
        lock (modelsGate)
        {
            if (!models.TryRemove(sleepTimeAgentId, out previous))
            {
                return false;
            }
        }

        Release(previous);
        return true;
    }

    /// <summary>The model registered for a sleep-time agent, if any.</summary>
    public IChatClient? ModelOf(string sleepTimeAgentId) =>
        models.TryGetValue(sleepTimeAgentId, out var registration) ? registration.Model : null;

    /// <summary>Starts the background worker.</summary>
    public void Start() => worker ??= Task.Run(WorkAsync);

    /// <summary>Completes when no run is queued or executing and no trigger is being handled (for tests and shutdown).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (outstandingGate)
        {
            return idle.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task OnTurnCompletedAsync(string primaryAgentId, long transcriptTokens, CancellationToken cancellationToken = default)
    {
        var sleepers = await stores.Agents.ListSleepTimeAgentsAsync(primaryAgentId, cancellationToken).ConfigureAwait(false);
        foreach (var sleeper in sleepers)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var schedule = ScheduleOf(sleeper.Id);
                schedule.Turns++;
                schedule.Tokens += transcriptTokens;
                schedule.LastTurnAt = time.GetUtcNow();
                if (sleeper.Triggers.IdleAfter is { } idleAfter)
                {
                    // Debounce: every turn restarts the quiet period.
                    schedule.IdleTimer?.Dispose();
                    schedule.IdleTimer = time.CreateTimer(_ => Track(() => OnIdleAsync(sleeper.Id)), null, idleAfter, Timeout.InfiniteTimeSpan);
                }

                if (TriggerPolicy.AfterTurn(sleeper.Triggers, schedule.Turns, schedule.Tokens) is { } trigger)
                {
                    await EnqueueLockedAsync(sleeper, trigger, attempt: 1).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>
    /// Attaches a document to a primary agent (as several parts when it is long) and queues a run of each of its
    /// sleep-time agents to read it.
    /// </summary>
    public async Task<IReadOnlyList<AgentDocument>> IngestDocumentAsync(string primaryAgentId, string title, string text, CancellationToken cancellationToken = default)
    {
        _ = await stores.Agents.GetAgentAsync(primaryAgentId, cancellationToken).ConfigureAwait(false) ?? throw new AgentNotFoundException(primaryAgentId);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SleepTimeValidationException("text", "A document needs some text.");
        }

        var parts = DocumentChunker.Split(text, options.DocumentPartCharacters);
        var documents = new List<AgentDocument>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var partTitle = parts.Count == 1 ? title : $"{title} (part {i + 1} of {parts.Count})";
            documents.Add(await stores.Documents.AddAsync(primaryAgentId, partTitle, parts[i], cancellationToken).ConfigureAwait(false));
        }

        foreach (var sleeper in await stores.Agents.ListSleepTimeAgentsAsync(primaryAgentId, cancellationToken).ConfigureAwait(false))
        {
            await TriggerAsync(sleeper, SleepTimeTrigger.Document, 1, cancellationToken).ConfigureAwait(false);
        }

        return documents;
    }

    /// <summary>Queues a run now (or joins the one already waiting) and returns its record.</summary>
    public async Task<SleepTimeRun> RequestRunAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(sleepTimeAgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentNotFoundException(sleepTimeAgentId);
        return await TriggerAsync(sleeper, SleepTimeTrigger.Manual, 1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Call once at start-up, before triggers arrive: runs that a previous process left queued or running (it
    /// crashed or was killed) are marked failed, and each affected agent gets a retry. Their watermark never moved,
    /// so the retry reads everything they would have read.
    /// </summary>
    public async Task<IReadOnlyList<SleepTimeRun>> RecoverInterruptedRunsAsync(CancellationToken cancellationToken = default)
    {
        var interrupted = new List<SleepTimeRun>();
        foreach (var status in new[] { SleepTimeRunStatus.Queued, SleepTimeRunStatus.Running })
        {
            interrupted.AddRange(await stores.Runs.ListAsync(status: status, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        var recovered = new List<SleepTimeRun>();
        foreach (var run in interrupted)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (schedules.TryGetValue(run.SleepTimeAgentId, out var schedule) && (schedule.Queued?.Id == run.Id || schedule.Running))
                {
                    continue; // This process owns it.
                }
            }
            finally
            {
                gate.Release();
            }

            var failed = run with
            {
                Status = SleepTimeRunStatus.Failed,
                FinishedAt = time.GetUtcNow(),
                Error = $"Interrupted while {run.Status.ToString().ToLowerInvariant()}: the process stopped before the run finished; the watermark did not move.",
            };
            await stores.Runs.UpdateAsync(failed, cancellationToken).ConfigureAwait(false);
            recovered.Add(failed);
        }

        foreach (var agentRuns in recovered.GroupBy(r => r.SleepTimeAgentId, StringComparer.Ordinal))
        {
            if (await stores.Agents.GetSleepTimeAgentAsync(agentRuns.Key, cancellationToken).ConfigureAwait(false) is { } sleeper)
            {
                await TriggerAsync(sleeper, SleepTimeTrigger.Retry, agentRuns.Max(r => r.Attempt) + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        return recovered;
    }

    /// <summary>
    /// Cancels the runs in flight (recorded as failed; their watermark does not move) and stops the worker. Queued runs
    /// stay queued in the run store for <see cref="RecoverInterruptedRunsAsync"/> on the next start.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        ready.Writer.TryComplete();
        if (worker is not null)
        {
            await worker.ConfigureAwait(false);
        }

        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var schedule in schedules.Values)
            {
                schedule.IdleTimer?.Dispose();
                schedule.RetryTimer?.Dispose();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>) and disposes the models the coordinator owns.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        List<Registration> registrations;
        lock (modelsGate)
        {
            registrations = [.. models.Values];
            models.Clear();
        }

        foreach (var registration in registrations)
        {
            Release(registration);
        }
    }

    private void Release(Registration registration)
    {
        if (!registration.Owned)
        {
            return;
        }

        try
        {
            registration.Model.Dispose();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Disposing a sleep-time agent's model failed.");
        }
    }

    private async Task<SleepTimeRun> TriggerAsync(SleepTimeAgent sleeper, SleepTimeTrigger trigger, int attempt, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await EnqueueLockedAsync(sleeper, trigger, attempt).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task OnIdleAsync(string sleepTimeAgentId)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(sleepTimeAgentId).ConfigureAwait(false);
        if (sleeper is null)
        {
            return;
        }

        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var schedule = ScheduleOf(sleepTimeAgentId);
            if (schedule.LastTurnAt is { } last && TriggerPolicy.IdleDue(sleeper.Triggers, schedule.Turns, last, time.GetUtcNow()))
            {
                await EnqueueLockedAsync(sleeper, SleepTimeTrigger.Idle, attempt: 1).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SleepTimeRun> EnqueueLockedAsync(SleepTimeAgent sleeper, SleepTimeTrigger trigger, int attempt)
    {
        var schedule = ScheduleOf(sleeper.Id);
        schedule.Turns = 0;
        schedule.Tokens = 0;
        if (schedule.Queued is { } waiting)
        {
            var coalesced = waiting with
            {
                Triggers = waiting.Triggers.Contains(trigger) ? waiting.Triggers : [.. waiting.Triggers, trigger],
                Attempt = Math.Max(waiting.Attempt, attempt),
            };
            await stores.Runs.UpdateAsync(coalesced).ConfigureAwait(false);
            schedule.Queued = coalesced;
            return coalesced;
        }

        var run = new SleepTimeRun(Ids.New("run"), sleeper.Id, sleeper.PrimaryAgentId, SleepTimeRunStatus.Queued, [trigger], attempt, time.GetUtcNow());
        await stores.Runs.AddAsync(run).ConfigureAwait(false);
        schedule.Queued = run;
        AddOutstanding();
        if (!schedule.Running)
        {
            ready.Writer.TryWrite(sleeper.Id);
        }

        return run;
    }

    private async Task WorkAsync()
    {
        var running = new List<Task>();
        try
        {
            await foreach (var sleepTimeAgentId in ready.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                await concurrency.WaitAsync(stopping.Token).ConfigureAwait(false);
                SleepTimeRun? run;
                await gate.WaitAsync(stopping.Token).ConfigureAwait(false);
                try
                {
                    var schedule = ScheduleOf(sleepTimeAgentId);
                    run = schedule.Running ? null : schedule.Queued;
                    if (run is not null)
                    {
                        schedule.Queued = null;
                        schedule.Running = true;
                    }
                }
                finally
                {
                    gate.Release();
                }

                if (run is null)
                {
                    concurrency.Release();
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(() => ExecuteAndReleaseAsync(run)));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ExecuteAndReleaseAsync(SleepTimeRun run)
    {
        try
        {
            await ExecuteAsync(run).ConfigureAwait(false);
        }
        finally
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var schedule = ScheduleOf(run.SleepTimeAgentId);
                schedule.Running = false;
                if (schedule.Queued is not null)
                {
                    ready.Writer.TryWrite(run.SleepTimeAgentId);
                }
            }
            finally
            {
                gate.Release();
            }

            concurrency.Release();
            RemoveOutstanding();
        }
    }

    private async Task ExecuteAsync(SleepTimeRun queued)
    {
        var run = queued with { Status = SleepTimeRunStatus.Running, StartedAt = time.GetUtcNow() };
        await stores.Runs.UpdateAsync(run).ConfigureAwait(false);
        SleepTimeRun finished;
        var moreDocuments = false;
        try
        {
            (finished, moreDocuments) = await RunAsync(run, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            finished = run with { Status = SleepTimeRunStatus.Failed, Error = "The coordinator stopped before the run finished; the watermark did not move." };
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Sleep-time run {RunId} failed unexpectedly", run.Id);
            finished = run with { Status = SleepTimeRunStatus.Failed, Error = $"Internal error: {ex.GetType().Name}: {ex.Message}" };
        }

        finished = finished with { FinishedAt = time.GetUtcNow() };
        await stores.Runs.UpdateAsync(finished).ConfigureAwait(false);
        if (finished.Status == SleepTimeRunStatus.Failed && finished.Attempt < options.MaxAttempts && !stopping.IsCancellationRequested)
        {
            await ScheduleRetryAsync(finished).ConfigureAwait(false);
        }

        if (finished.Status == SleepTimeRunStatus.Succeeded && moreDocuments && !stopping.IsCancellationRequested
            && await stores.Agents.GetSleepTimeAgentAsync(finished.SleepTimeAgentId).ConfigureAwait(false) is { } sleeper)
        {
            await TriggerAsync(sleeper, SleepTimeTrigger.Document, 1, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(SleepTimeRun Run, bool MoreDocuments)> RunAsync(SleepTimeRun run, CancellationToken cancellationToken)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(run.SleepTimeAgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentNotFoundException(run.SleepTimeAgentId);
        if (!models.TryGetValue(sleeper.Id, out var registration))
        {
            return (run with { Status = SleepTimeRunStatus.Failed, Error = $"No model is registered for sleep-time agent '{sleeper.Id}'." }, false);
        }

        var model = registration.Model;

        if (sleeper.DailyTokenBudget is { } budget)
        {
            var dayStart = TriggerPolicy.BudgetDayStart(time.GetUtcNow());
            var used = await stores.Runs.TokensUsedSinceAsync(sleeper.Id, dayStart, cancellationToken).ConfigureAwait(false);
            if (used >= budget)
            {
                return (run with { Status = SleepTimeRunStatus.Skipped, Reason = $"Daily token budget spent: {used} of {budget} tokens used on {dayStart:yyyy-MM-dd} (UTC)." }, false);
            }
        }

        var watermark = await stores.Agents.GetWatermarkAsync(sleeper.Id, cancellationToken).ConfigureAwait(false);
        run = run with { ReadFrom = watermark };
        var messages = await stores.Messages.ListAsync(sleeper.PrimaryAgentId, watermark.MessageSequence, cancellationToken).ConfigureAwait(false);
        var unread = await stores.Documents.ListAsync(sleeper.PrimaryAgentId, watermark.DocumentSequence, cancellationToken).ConfigureAwait(false);
        var documents = unread.Take(Math.Max(1, options.MaxDocumentPartsPerRun)).ToList();
        if (messages.Count == 0 && documents.Count == 0)
        {
            return (run with { Status = SleepTimeRunStatus.Skipped, Reason = "Nothing new since the last committed run." }, false);
        }

        var primary = await stores.Agents.GetAgentAsync(sleeper.PrimaryAgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentNotFoundException(sleeper.PrimaryAgentId);
        var blocks = new List<Block>();
        foreach (var blockId in primary.BlockIds)
        {
            blocks.Add(await stores.Blocks.GetAsync(blockId, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(blockId));
        }

        var loop = new SleepTimeAgentLoop(model, options.Loop, options.TokenCounter, time);
        var outcome = await loop.RunAsync(new SleepTimeInput(blocks, messages, documents), cancellationToken).ConfigureAwait(false);
        var cost = sleeper.Cost?.Price(ComputePhase.Sleep, outcome.Usage);
        run = run with { Usage = outcome.Usage, Cost = cost, Model = outcome.Model };
        if (!outcome.Succeeded)
        {
            return (run with { Status = SleepTimeRunStatus.Failed, Error = outcome.Error }, false);
        }

        // From here on the run's result is being recorded: finish it even if the coordinator is stopping.
        string reason;
        ChangeSet? changeSet = null;
        if (outcome.Changes.Count == 0)
        {
            reason = "No changes: nothing new was worth remembering.";
        }
        else
        {
            changeSet = new ChangeSet(
                Ids.New("changes"), sleeper.Id, sleeper.PrimaryAgentId, run.Id, ChangeSetStatus.Pending, outcome.Changes,
                messages.Select(m => m.Id).ToList(), documents.Select(d => d.Id).ToList(),
                outcome.Model, outcome.PromptVersion, outcome.Usage, cost, time.GetUtcNow());
            if (sleeper.RequireReview)
            {
                await stores.ChangeSets.AddAsync(changeSet, CancellationToken.None).ConfigureAwait(false);
                reason = $"{outcome.Changes.Count} block change(s) held for review.";
            }
            else
            {
                changeSet = await committer.CommitAsync(changeSet, "sleep-time:" + sleeper.Id, CancellationToken.None).ConfigureAwait(false);
                var waiting = changeSet.AwaitingReview.ToList();
                reason = waiting.Count == 0
                    ? $"Committed {changeSet.Blocks.Count} block change(s)."
                    : $"Committed {changeSet.Blocks.Count - waiting.Count} block change(s); {waiting.Count} wait for review: " + string.Join("; ", waiting.Select(b => $"{b.Label}: {b.Reason}"));
            }
        }

        var next = new SleepTimeWatermark(
            messages.Count > 0 ? messages[^1].Sequence : watermark.MessageSequence,
            documents.Count > 0 ? documents[^1].Sequence : watermark.DocumentSequence);
        var moved = await stores.Agents.TryAdvanceWatermarkAsync(sleeper.Id, watermark, next, CancellationToken.None).ConfigureAwait(false);
        if (!moved)
        {
            reason += " The watermark had been moved by someone else and was left as it was.";
        }

        return (run with { Status = SleepTimeRunStatus.Succeeded, Reason = reason, ChangeSetId = changeSet?.Id, ReadTo = moved ? next : null }, moved && unread.Count > documents.Count);
    }

    private async Task ScheduleRetryAsync(SleepTimeRun failed)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var schedule = ScheduleOf(failed.SleepTimeAgentId);
            schedule.RetryTimer?.Dispose();
            schedule.RetryTimer = time.CreateTimer(
                _ => Track(() => RetryAsync(failed)),
                null,
                options.RetryDelay * failed.Attempt,
                Timeout.InfiniteTimeSpan);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RetryAsync(SleepTimeRun failed)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(failed.SleepTimeAgentId).ConfigureAwait(false);
        if (sleeper is not null && !stopping.IsCancellationRequested)
        {
            await TriggerAsync(sleeper, SleepTimeTrigger.Retry, failed.Attempt + 1, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a timer's work as outstanding, so <see cref="WhenIdleAsync"/> waits for it; failures are logged, never lost in a timer thread.</summary>
    private void Track(Func<Task> work)
    {
        AddOutstanding();
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
                RemoveOutstanding();
            }
        });
    }

    private void AddOutstanding()
    {
        lock (outstandingGate)
        {
            if (outstanding++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void RemoveOutstanding()
    {
        lock (outstandingGate)
        {
            if (--outstanding == 0)
            {
                idle.TrySetResult();
            }
        }
    }

    private Schedule ScheduleOf(string sleepTimeAgentId)
    {
        if (!schedules.TryGetValue(sleepTimeAgentId, out var schedule))
        {
            schedules[sleepTimeAgentId] = schedule = new Schedule();
        }

        return schedule;
    }

    private static TaskCompletionSource NewCompleted()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>In-memory trigger state per sleep-time agent; after a restart it starts from zero, which only delays the next run.</summary>
    private sealed class Schedule
    {
        public int Turns { get; set; }

        public long Tokens { get; set; }

        public DateTimeOffset? LastTurnAt { get; set; }

        public ITimer? IdleTimer { get; set; }

        public ITimer? RetryTimer { get; set; }

        public SleepTimeRun? Queued { get; set; }

        public bool Running { get; set; }
    }

    private sealed record Registration(IChatClient Model, bool Owned);
}
