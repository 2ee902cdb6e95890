using System.Collections.Concurrent;
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
public sealed class InProcessSleepScheduler : ISleepScheduler, IAsyncDisposable
{
    private readonly AgentStores stores;
    private readonly InProcessSchedulerOptions options;
    private readonly TimeProvider time;
    private readonly InProcessRunQueue queue;
    private readonly ConcurrentDictionary<string, IChatClient> models = new(StringComparer.Ordinal);

    public InProcessSleepScheduler(AgentStores stores, InProcessSchedulerOptions? options = null, TimeProvider? timeProvider = null, ILogger<InProcessSleepScheduler>? logger = null)
    {
        this.stores = stores ?? throw new ArgumentNullException(nameof(stores));
        this.options = options ?? new InProcessSchedulerOptions();
        time = timeProvider ?? TimeProvider.System;
        queue = new InProcessRunQueue(SleeperKind.Agent, AttemptAsync, this.options.MaxAttempts, this.options.RetryDelay, time, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Gives a sleep-time agent its model; a sleeper without one fails its runs saying so.</summary>
    public void Register(string sleepTimeAgentId, IChatClient model) => models[sleepTimeAgentId] = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Every run, newest first; with a sleeper id, only its runs.</summary>
    public IReadOnlyList<RunRecord> Runs(string? sleepTimeAgentId = null) => queue.Runs(sleepTimeAgentId);

    /// <summary>Completes once no run is running or due and no trigger is being handled (for tests and shutdown).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => queue.WhenIdleAsync(cancellationToken);

    public async Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default)
    {
        RequireAgents(kind);
        foreach (var sleeper in await stores.Agents.ListSleepTimeAgentsAsync(memoryId, cancellationToken).ConfigureAwait(false))
        {
            var decision = TriggerDecision.AfterAppend(sleeper.Schedule, await AgentSleep.UnreadAsync(stores, sleeper, cancellationToken).ConfigureAwait(false), time.GetUtcNow());
            if (decision.Trigger is { } trigger)
            {
                queue.Enqueue(sleeper.Id, sleeper.PrimaryAgentId, trigger, decision.RunAt, decision.Reschedule);
            }

            if (decision.IdleAt is { } idleAt)
            {
                queue.ArmIdle(sleeper.Id, idleAt, ct => OnIdleAsync(sleeper.Id, ct));
            }
        }
    }

    public async Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default)
    {
        RequireAgents(kind);
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(sleeperId, cancellationToken).ConfigureAwait(false) ?? throw new AgentNotFoundException(sleeperId);
        return queue.Enqueue(sleeper.Id, sleeper.PrimaryAgentId, trigger, time.GetUtcNow(), reschedule: true);
    }

    /// <summary>Stops: the runs in flight end cancelled (their watermark unmoved), queued runs stay queued and never start.</summary>
    public ValueTask DisposeAsync() => queue.DisposeAsync();

    /// <summary>One attempt: the run as it ended (or as it stands before a retry), and whether to try again.</summary>
    private async Task<(RunRecord Run, bool Retry)> AttemptAsync(RunRecord run, CancellationToken stopping)
    {
        var sleeper = await stores.Agents.GetSleepTimeAgentAsync(run.SleeperId, stopping).ConfigureAwait(false);
        if (sleeper is null)
        {
            return (run with { Status = RunStatus.Cancelled, Reason = "The sleep-time agent was deleted." }, false);
        }

        long? remaining = null;
        if (sleeper.Schedule.DailyTokenCap is { } cap)
        {
            var spent = queue.SpentToday(sleeper.Id);
            if (spent >= cap)
            {
                return (run with { Status = RunStatus.Skipped, Reason = string.Create(CultureInfo.InvariantCulture, $"over_budget: the sleep-time agent spent {spent:N0} of its {cap:N0} daily sleep tokens.") }, false);
            }

            remaining = cap - spent;
        }

        if (!models.TryGetValue(sleeper.Id, out var model))
        {
            return (run with { Status = RunStatus.Failed, Reason = "no_model", Error = $"No model is registered for sleep-time agent '{sleeper.Id}'." }, false);
        }

        try
        {
            var result = await new AgentSleep(stores, options.Sleep, time).RunAsync(sleeper, model, run.Id, remaining, stopping).ConfigureAwait(false);
            var ended = run with
            {
                Usage = run.Usage + result.Usage,
                Cost = run.Cost + (double)(sleeper.Cost?.Price(ComputePhase.Sleep, result.Usage) ?? 0m),
                Model = result.Model ?? run.Model,
                ToolErrors = run.ToolErrors + result.ToolErrors,
                ReadFrom = result.ReadFrom,
            };
            switch (result.Status)
            {
                case RunStatus.Skipped:
                    return (ended with { Status = RunStatus.Skipped, Reason = result.Reason }, false);
                case RunStatus.Failed:
                    return (ended with { Error = result.Error, Reason = result.FailureReason?.ToCode() }, result.FailureReason != SleepFailureReason.OverBudget);
            }

            var (changeSet, reason) = await stores.Memory.WriteAsync((writer, ct) => AgentSleep.CommitAsync(writer, sleeper, result, ct), stopping).ConfigureAwait(false);
            if (result.MoreDocuments)
            {
                queue.Enqueue(sleeper.Id, sleeper.PrimaryAgentId, TriggerKinds.Document, time.GetUtcNow(), reschedule: false);
            }

            return (ended with { Status = RunStatus.Succeeded, Reason = reason, ChangeSetId = changeSet?.Id, ReadTo = result.ReadTo, Error = null }, false);
        }
        catch (SleepTimeConflictException ex)
        {
            return (run with { Error = ex.Message, Reason = "conflict" }, true);
        }
    }

    private async Task OnIdleAsync(string sleeperId, CancellationToken stopping)
    {
        if (await stores.Agents.GetSleepTimeAgentAsync(sleeperId, stopping).ConfigureAwait(false) is { } sleeper
            && TriggerDecision.TimeTriggerDue(await AgentSleep.UnreadAsync(stores, sleeper, stopping).ConfigureAwait(false)))
        {
            queue.Enqueue(sleeper.Id, sleeper.PrimaryAgentId, TriggerKinds.Idle, time.GetUtcNow(), reschedule: true);
        }
    }

    private static void RequireAgents(string kind)
    {
        if (kind != SleeperKind.Agent)
        {
            throw new SleepTimeValidationException("kind", "The in-process scheduler runs sleep-time agents; a context sleeps with SleepTimeEngine.SleepAsync.");
        }
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
