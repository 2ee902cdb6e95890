using Microsoft.Extensions.Options;
using Quartz;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Turns triggers into runs. Each context has one durable, non-concurrent Quartz job; a trigger lands in the
/// context's single queued run (or queues one) and arms the job's "run" trigger for when it is due. Quartz
/// then fires the job on exactly one node at a time, and the job works the run off the request thread.
/// </summary>
public sealed class SleepScheduler(
    ISchedulerFactory schedulerFactory,
    TriggerArmer armer,
    RunStore runs,
    EventHub events,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SleepScheduler> logger)
{
    public const string RunTrigger = "run";
    public const string IdleTrigger = "idle";
    public const string CronTrigger = "cron";
    public const string TriggerKindKey = "trigger";

    public static JobKey JobKeyFor(string tenantId, string contextId) => new(contextId, tenantId);

    /// <summary>
    /// Whether Quartz keeps its jobs and triggers in memory: on a single SQLite node nothing needs Quartz to persist
    /// them (runs are durable in SleepTime's own tables and every trigger is rebuilt at start-up, see
    /// <see cref="RearmTimeTriggersAsync"/>), and Quartz's ADO store on SQLite serializes every operation. PostgreSQL
    /// keeps Quartz's ADO store, clustered, so nodes share the work.
    /// </summary>
    public static bool KeepsTriggersInMemory(StorageProvider provider) => provider != StorageProvider.Postgres;

    public static TriggerKey TriggerKeyFor(string tenantId, string contextId, string kind) => new($"{contextId}#{kind}", tenantId);

    public SchedulePolicy PolicyOf(ContextSummary context) => SchedulePolicy.FromJson(context.Schedule, options.Value.Defaults);

    /// <summary>Reacts to a committed change of a context according to its policy.</summary>
    public async Task OnChangedAsync(string tenantId, ContextSummary context, ContextSnapshot? snapshot, CancellationToken cancellationToken = default)
    {
        var policy = PolicyOf(context);
        var now = time.GetUtcNow();
        if (context.Kind == ContextKind.Conversation && policy.EveryTurns > 0)
        {
            var newTurns = snapshot?.Entries.Count(e => e.Version > context.ProcessedVersion) ?? 0;
            if (newTurns >= policy.EveryTurns)
            {
                await EnqueueAsync(tenantId, context.Id, "turns", now, reschedule: false, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (policy.OnChange)
        {
            // Trailing debounce: every change moves the queued run's start to debounce after the latest change.
            await EnqueueAsync(tenantId, context.Id, "change", now + policy.Debounce, reschedule: true, cancellationToken).ConfigureAwait(false);
        }

        if (policy.IdleSeconds > 0)
        {
            await ArmAsync(tenantId, context.Id, IdleTrigger, now.AddSeconds(policy.IdleSeconds), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a run now (or joins the one waiting), e.g. on a user's request.</summary>
    public Task<RunEnqueueResult> TriggerNowAsync(string tenantId, string contextId, string trigger = "manual", CancellationToken cancellationToken = default) =>
        EnqueueAsync(tenantId, contextId, trigger, time.GetUtcNow(), reschedule: true, cancellationToken);

    public async Task<RunEnqueueResult> EnqueueAsync(string tenantId, string contextId, string trigger, DateTimeOffset notBefore, bool reschedule, CancellationToken cancellationToken = default)
    {
        var result = await runs.EnqueueAsync(tenantId, contextId, trigger, notBefore, reschedule, cancellationToken).ConfigureAwait(false);
        // Announced before the job is armed: once armed, the run may start (and say so) at any moment.
        if (!result.Coalesced)
        {
            events.Publish(new ServerEvent(ServerEvent.RunQueued, tenantId, contextId, RunView.From(result.Run), time.GetUtcNow()));
        }

        await ArmAsync(tenantId, contextId, RunTrigger, result.Run.NotBefore, cancellationToken).ConfigureAwait(false);

        return result;
    }

    /// <summary>
    /// Sets (or clears) the context's cron trigger. A cron with no fire time left (validated when it was set, but
    /// e.g. pinned to a year that has since passed) clears it: Quartz would refuse to schedule it.
    /// Returns whether a cron trigger is armed.
    /// </summary>
    public async Task<bool> ApplyPolicyAsync(string tenantId, string contextId, SchedulePolicy policy, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var key = TriggerKeyFor(tenantId, contextId, CronTrigger);
        if (string.IsNullOrWhiteSpace(policy.Cron))
        {
            await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (!SchedulePolicy.FiresAfter(policy.Cron, time.GetUtcNow()))
        {
            logger.LogWarning("The cron expression '{Cron}' of context {ContextId} (tenant {TenantId}) never fires again; its cron trigger is not armed.", policy.Cron, contextId, tenantId);
            await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(key)
            .ForJob(JobKeyFor(tenantId, contextId))
            .UsingJobData(TriggerKindKey, CronTrigger)
            .WithSchedule(CronScheduleBuilder.Create(policy.Cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(NewJob(tenantId, contextId), [trigger], ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Re-creates every context's cron trigger, and the idle triggers still pending, from the database. A context whose
    /// triggers cannot be armed is logged and skipped: one bad row must never stop the server from starting.
    /// </summary>
    public async Task<int> RearmTimeTriggersAsync(ContextSchedules schedules, CancellationToken cancellationToken = default)
    {
        var defaults = options.Value.Defaults;
        var includeDefault = !string.IsNullOrWhiteSpace(defaults.Cron) || defaults.IdleSeconds > 0;
        var now = time.GetUtcNow();
        var armed = 0;
        foreach (var context in await schedules.ListAsync(includeDefault, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var policy = SchedulePolicy.FromJson(context.Schedule, defaults);
                if (!string.IsNullOrWhiteSpace(policy.Cron)
                    && await ApplyPolicyAsync(context.TenantId, context.ContextId, policy, cancellationToken).ConfigureAwait(false))
                {
                    armed++;
                }

                if (policy.IdleSeconds > 0 && context.Version > context.ProcessedVersion)
                {
                    var due = context.UpdatedAt.AddSeconds(policy.IdleSeconds);
                    await ArmAsync(context.TenantId, context.ContextId, IdleTrigger, due < now ? now : due, cancellationToken).ConfigureAwait(false);
                    armed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not re-arm the triggers of context {ContextId} (tenant {TenantId}); skipping it.", context.ContextId, context.TenantId);
            }
        }

        return armed;
    }

    /// <summary>Removes the context's job and triggers.</summary>
    public async Task ForgetAsync(string tenantId, string contextId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.DeleteJob(JobKeyFor(tenantId, contextId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Arms one of the context's one-shot triggers for <paramref name="at"/>, replacing an earlier arming.</summary>
    public Task ArmAsync(string tenantId, string contextId, string kind, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(TriggerKeyFor(tenantId, contextId, kind))
            .ForJob(JobKeyFor(tenantId, contextId))
            .UsingJobData(TriggerKindKey, kind)
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        return armer.ArmAsync(NewJob(tenantId, contextId), trigger, cancellationToken);
    }

    private static IJobDetail NewJob(string tenantId, string contextId) =>
        JobBuilder.Create<SleepJob>()
            .WithIdentity(JobKeyFor(tenantId, contextId))
            .StoreDurably()
            .RequestRecovery()
            .DisallowConcurrentExecution()
            .Build();
}
