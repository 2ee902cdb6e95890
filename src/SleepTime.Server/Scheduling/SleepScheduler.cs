using Microsoft.Extensions.Options;
using Quartz;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Turns triggers into runs, for every sleeper alike: a context's default sleeper and each sleep-time agent. Each
/// sleeper has one durable, non-concurrent Quartz job; a trigger lands in the sleeper's single queued run (or queues
/// one) and arms the job's "run" trigger for when it is due. Quartz then fires the job on exactly one node at a time,
/// and the job works the run off the request thread. Turn, token and document triggers are counted from the database
/// (what is unread after the watermark), and idle and cron triggers are re-armed at start-up, so a restart loses none.
/// </summary>
public sealed class SleepScheduler(
    ISchedulerFactory schedulerFactory,
    TriggerArmer armer,
    RunStore runs,
    TenantStores stores,
    EventHub events,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SleepScheduler> logger)
{
    public const string RunTrigger = "run";
    public const string TriggerKindKey = "trigger";
    private const string AgentPrefix = "agent/";

    /// <summary>The job of a sleeper; agents' names carry a prefix no context id can have, so the two never collide.</summary>
    public static JobKey JobKeyFor(string tenantId, string kind, string sleeperId) =>
        new(kind == SleeperKind.Agent ? AgentPrefix + sleeperId : sleeperId, tenantId);

    public static (string Kind, string SleeperId) SleeperOf(JobKey key) =>
        key.Name.StartsWith(AgentPrefix, StringComparison.Ordinal) ? (SleeperKind.Agent, key.Name[AgentPrefix.Length..]) : (SleeperKind.Context, key.Name);

    public static TriggerKey TriggerKeyFor(string tenantId, string kind, string sleeperId, string trigger) => new($"{JobKeyFor(tenantId, kind, sleeperId).Name}#{trigger}", tenantId);

    /// <summary>
    /// Whether Quartz keeps its jobs and triggers in memory: on a single SQLite node nothing needs Quartz to persist
    /// them (runs are durable in SleepTime's own tables and every trigger is rebuilt at start-up, see
    /// <see cref="RearmAsync"/>), and Quartz's ADO store on SQLite serializes every operation. PostgreSQL keeps
    /// Quartz's ADO store, clustered, so nodes share the work.
    /// </summary>
    public static bool KeepsTriggersInMemory(StorageProvider provider) => provider != StorageProvider.Postgres;

    public SchedulePolicy PolicyOf(ContextSummary context) => SchedulePolicy.FromJson(context.Schedule, options.Value.Defaults);

    /// <summary>The tenant's scheduler, as the library's <see cref="ISleepScheduler"/> (for primary agents' turns).</summary>
    public ISleepScheduler ForTenant(string tenantId) => new TenantScheduler(this, tenantId);

    /// <summary>Reacts to a committed change of a context according to its policy.</summary>
    public async Task OnContextChangedAsync(string tenantId, string contextId, CancellationToken cancellationToken = default)
    {
        var store = stores.Contexts(tenantId);
        if (await store.GetSummaryAsync(contextId, cancellationToken).ConfigureAwait(false) is not { } context)
        {
            return;
        }

        var unread = await store.UnreadAsync(contextId, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(tenantId, SleeperKind.Context, contextId, contextId, PolicyOf(context), unread, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reacts to new messages or documents of a primary agent, for each of its sleep-time agents.</summary>
    public async Task OnAgentChangedAsync(string tenantId, string agentId, CancellationToken cancellationToken = default)
    {
        var agents = stores.Agents(tenantId).Agents;
        foreach (var sleeper in await agents.ListSleepTimeAgentsAsync(agentId, cancellationToken).ConfigureAwait(false))
        {
            var unread = await agents.UnreadAsync(sleeper.Id, cancellationToken).ConfigureAwait(false);
            await ApplyAsync(tenantId, SleeperKind.Agent, sleeper.Id, agentId, sleeper.Schedule, unread, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a run now (or joins the one waiting), e.g. on a user's request.</summary>
    public Task<RunEnqueueResult> TriggerNowAsync(string tenantId, string kind, string sleeperId, string memoryId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default) =>
        EnqueueAsync(tenantId, kind, sleeperId, memoryId, trigger, time.GetUtcNow(), reschedule: true, cancellationToken);

    public async Task<RunEnqueueResult> EnqueueAsync(string tenantId, string kind, string sleeperId, string memoryId, string trigger, DateTimeOffset notBefore, bool reschedule, CancellationToken cancellationToken = default)
    {
        var result = await runs.EnqueueAsync(tenantId, kind, sleeperId, memoryId, trigger, notBefore, reschedule, cancellationToken).ConfigureAwait(false);
        // Announced before the job is armed: once armed, the run may start (and say so) at any moment.
        if (!result.Coalesced)
        {
            events.Publish(ServerEvent.ForRun(ServerEvent.RunQueued, result.Run, time.GetUtcNow()));
        }

        await ArmAsync(tenantId, kind, sleeperId, RunTrigger, result.Run.NotBefore, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Sets (or clears) the sleeper's cron trigger. A cron with no fire time left (validated when it was set, but
    /// e.g. pinned to a year that has since passed) clears it: Quartz would refuse to schedule it.
    /// Returns whether a cron trigger is armed.
    /// </summary>
    public async Task<bool> ApplyPolicyAsync(string tenantId, string kind, string sleeperId, SchedulePolicy policy, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var key = TriggerKeyFor(tenantId, kind, sleeperId, TriggerKinds.Cron);
        if (string.IsNullOrWhiteSpace(policy.Cron))
        {
            await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (CronRules.Problem(policy.Cron, time.GetUtcNow()) is { } problem)
        {
            logger.LogWarning("The cron expression of {Kind} sleeper {SleeperId} (tenant {TenantId}) is not armed: {Problem}", kind, sleeperId, tenantId, problem);
            await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(key)
            .ForJob(JobKeyFor(tenantId, kind, sleeperId))
            .UsingJobData(TriggerKindKey, TriggerKinds.Cron)
            .WithSchedule(CronScheduleBuilder.Create(policy.Cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(NewJob(tenantId, kind, sleeperId), [trigger], ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// At start-up: re-arms every live run, every sleeper's cron and pending idle trigger (where Quartz keeps triggers
    /// in memory), and queues a run for every sleeper whose sources gained something after its watermark while no run
    /// of it is live: the trigger of an acknowledged write is never lost to a crash between the write and its trigger.
    /// A sleeper whose triggers cannot be armed is logged and skipped: one bad row must never stop the server.
    /// </summary>
    public async Task<int> RearmAsync(SleeperSchedules schedules, bool timeTriggers, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var armed = 0;
        foreach (var live in (await runs.ListLiveAsync(cancellationToken).ConfigureAwait(false)).GroupBy(r => (r.TenantId, r.Kind, r.SleeperId)))
        {
            var due = live.Min(r => r.Status == RunStatus.Running ? now : r.NotBefore);
            await ArmAsync(live.Key.TenantId, live.Key.Kind, live.Key.SleeperId, RunTrigger, due < now ? now : due, cancellationToken).ConfigureAwait(false);
            armed++;
        }

        foreach (var sleeper in await schedules.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var policy = await PolicyOfAsync(sleeper, cancellationToken).ConfigureAwait(false);
                if (policy is null)
                {
                    continue;
                }

                if (timeTriggers && !string.IsNullOrWhiteSpace(policy.Cron)
                    && await ApplyPolicyAsync(sleeper.TenantId, sleeper.Kind, sleeper.SleeperId, policy, cancellationToken).ConfigureAwait(false))
                {
                    armed++;
                }

                if (!sleeper.HasUnread || sleeper.HasLiveRun)
                {
                    continue;
                }

                if (timeTriggers && policy.IdleSeconds > 0)
                {
                    var due = (sleeper.LastChangeAt ?? now).AddSeconds(policy.IdleSeconds);
                    await ArmAsync(sleeper.TenantId, sleeper.Kind, sleeper.SleeperId, TriggerKinds.Idle, due < now ? now : due, cancellationToken).ConfigureAwait(false);
                    armed++;
                }

                // The write was acknowledged; whether its own trigger was queued before a crash, the policy decides again now.
                if (sleeper.Kind == SleeperKind.Context)
                {
                    await OnContextChangedAsync(sleeper.TenantId, sleeper.SleeperId, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var unread = await stores.Agents(sleeper.TenantId).Agents.UnreadAsync(sleeper.SleeperId, cancellationToken).ConfigureAwait(false);
                    await ApplyAsync(sleeper.TenantId, sleeper.Kind, sleeper.SleeperId, sleeper.MemoryId, policy, unread, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not re-arm the triggers of {Kind} sleeper {SleeperId} (tenant {TenantId}); skipping it.", sleeper.Kind, sleeper.SleeperId, sleeper.TenantId);
            }
        }

        return armed;
    }

    /// <summary>Removes the sleeper's job and triggers.</summary>
    public async Task ForgetAsync(string tenantId, string kind, string sleeperId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.DeleteJob(JobKeyFor(tenantId, kind, sleeperId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Arms one of the sleeper's one-shot triggers for <paramref name="at"/>, replacing an earlier arming.</summary>
    public Task ArmAsync(string tenantId, string kind, string sleeperId, string trigger, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var built = TriggerBuilder.Create(time)
            .WithIdentity(TriggerKeyFor(tenantId, kind, sleeperId, trigger))
            .ForJob(JobKeyFor(tenantId, kind, sleeperId))
            .UsingJobData(TriggerKindKey, trigger)
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        return armer.ArmAsync(NewJob(tenantId, kind, sleeperId), built, cancellationToken);
    }

    /// <summary>The memory a sleeper writes: the context itself, or a sleep-time agent's primary agent.</summary>
    public async Task<string> MemoryOfAsync(string tenantId, string kind, string sleeperId, CancellationToken cancellationToken = default) =>
        kind == SleeperKind.Agent
            ? (await stores.Agents(tenantId).Agents.GetSleepTimeAgentAsync(sleeperId, cancellationToken).ConfigureAwait(false) ?? throw new AgentNotFoundException(sleeperId)).PrimaryAgentId
            : sleeperId;

    private async Task ApplyAsync(string tenantId, string kind, string sleeperId, string memoryId, SchedulePolicy policy, UnreadSources unread, CancellationToken cancellationToken)
    {
        var decision = TriggerDecision.AfterAppend(policy, unread, time.GetUtcNow());
        if (decision.Trigger is { } trigger)
        {
            await EnqueueAsync(tenantId, kind, sleeperId, memoryId, trigger, decision.RunAt, decision.Reschedule, cancellationToken).ConfigureAwait(false);
        }

        if (decision.IdleAt is { } idleAt)
        {
            // Every change re-arms the idle trigger: it fires once the sources have been quiet for the idle period.
            await ArmAsync(tenantId, kind, sleeperId, TriggerKinds.Idle, idleAt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SchedulePolicy?> PolicyOfAsync(ScheduledSleeper sleeper, CancellationToken cancellationToken) =>
        sleeper.Kind == SleeperKind.Context
            ? SchedulePolicy.FromJson(sleeper.Schedule, options.Value.Defaults)
            : (await stores.Agents(sleeper.TenantId).Agents.GetSleepTimeAgentAsync(sleeper.SleeperId, cancellationToken).ConfigureAwait(false))?.Schedule;

    private static IJobDetail NewJob(string tenantId, string kind, string sleeperId) =>
        JobBuilder.Create<SleepJob>()
            .WithIdentity(JobKeyFor(tenantId, kind, sleeperId))
            .StoreDurably()
            .RequestRecovery()
            .DisallowConcurrentExecution()
            .Build();

    /// <summary>One tenant's view of the scheduler, in the library's shape.</summary>
    private sealed class TenantScheduler(SleepScheduler scheduler, string tenantId) : ISleepScheduler
    {
        public Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default) =>
            kind == SleeperKind.Agent
                ? scheduler.OnAgentChangedAsync(tenantId, memoryId, cancellationToken)
                : scheduler.OnContextChangedAsync(tenantId, memoryId, cancellationToken);

        public async Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default)
        {
            var memoryId = await scheduler.MemoryOfAsync(tenantId, kind, sleeperId, cancellationToken).ConfigureAwait(false);
            return (await scheduler.TriggerNowAsync(tenantId, kind, sleeperId, memoryId, trigger, cancellationToken).ConfigureAwait(false)).Run;
        }
    }
}
