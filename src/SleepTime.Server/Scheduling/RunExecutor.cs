using System.Diagnostics;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Works off a context's runs inside its Quartz job: claims a run, checks budgets, runs <c>S(c) -> c'</c>, and
/// finishes the run together with its learned context in one transaction. Failed attempts are retried with
/// exponential backoff; a run left running by a crashed process is claimed again with its attempt counted.
/// </summary>
public sealed class RunExecutor(
    SleepTimeDatabase database,
    RunStore runs,
    TenantStore tenants,
    UsageLedger ledger,
    ModelClients models,
    EventHub events,
    RunCancellations cancellations,
    SleepTimeTelemetry telemetry,
    IServiceProvider services,
    IOptions<SchedulingOptions> schedulingOptions,
    IOptions<ServerOptions> serverOptions,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    private readonly string node = schedulingOptions.Value.NodeName ?? Environment.MachineName + ":" + Environment.ProcessId;

    public async Task WorkAsync(string tenantId, string contextId, string? triggerKind, CancellationToken cancellationToken)
    {
        var store = new TenantContextStore(database, tenantId, time);
        var scheduler = services.GetRequiredService<SleepScheduler>();
        if (triggerKind is SleepScheduler.IdleTrigger or SleepScheduler.CronTrigger)
        {
            // Idle and cron triggers only sleep when there is something new to learn.
            var summary = await store.GetSummaryAsync(contextId, cancellationToken).ConfigureAwait(false);
            if (summary is not null && summary.Version > summary.ProcessedVersion)
            {
                await runs.EnqueueAsync(tenantId, contextId, triggerKind, time.GetUtcNow(), reschedule: true, cancellationToken).ConfigureAwait(false);
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var run = await runs.ClaimNextAsync(tenantId, contextId, node, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                break;
            }

            await ExecuteAsync(store, run, cancellationToken).ConfigureAwait(false);
        }

        // A follow-up queued for later (a debounce still open) keeps its trigger armed.
        if (!cancellationToken.IsCancellationRequested
            && await runs.NextQueuedAsync(tenantId, contextId, cancellationToken).ConfigureAwait(false) is { } next)
        {
            await scheduler.ArmAsync(tenantId, contextId, SleepScheduler.RunTrigger, next, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(TenantContextStore store, RunRecord run, CancellationToken cancellationToken)
    {
        using var activity = SleepTimeTelemetry.Source.StartActivity("sleep.run");
        activity?.SetTag("sleeptime.run_id", run.Id);
        activity?.SetTag("sleeptime.context_id", run.ContextId);
        activity?.SetTag("sleeptime.attempt", run.Attempt);
        var started = Stopwatch.GetTimestamp();
        Publish(ServerEvent.RunStarted, run);

        var options = schedulingOptions.Value;
        if (run.Attempt > options.MaxAttempts)
        {
            await FinishAsync(run, RunStatus.Failed, default, null, reason: "attempts_exhausted",
                error: $"Gave up after {options.MaxAttempts} attempts. Last error: {run.Error ?? "the process stopped during the run"}", started: started).ConfigureAwait(false);
            return;
        }

        var context = await store.GetAsync(run.ContextId, cancellationToken).ConfigureAwait(false);
        var summary = await store.GetSummaryAsync(run.ContextId, cancellationToken).ConfigureAwait(false);
        if (context is null || summary is null)
        {
            await FinishAsync(run, RunStatus.Cancelled, default, null, reason: "The context was deleted.", started: started).ConfigureAwait(false);
            return;
        }

        var policy = SchedulePolicy.FromJson(summary.Schedule, options.Defaults);
        if (await OverBudgetAsync(run, policy, cancellationToken).ConfigureAwait(false) is { } budgetReason)
        {
            await FinishAsync(run, RunStatus.Skipped, default, context.Version, reason: budgetReason, started: started).ConfigureAwait(false);
            return;
        }

        if (models.Sleep is not { } sleepPhase)
        {
            await FinishAsync(run, RunStatus.Failed, default, context.Version, reason: "no_model", error: models.SleepProblem, started: started).ConfigureAwait(false);
            return;
        }

        var previous = await store.GetCurrentAsync(run.ContextId, cancellationToken).ConfigureAwait(false);
        using var cancel = cancellations.Register(run.Id, cancellationToken);
        SleepResult result;
        try
        {
            result = await sleepPhase.RunAsync(context, previous, new SleepOptions { BlockLimit = policy.BlockLimit, Runs = policy.Runs }, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(run, RunStatus.Cancelled, default, context.Version, reason: "Cancelled on request.", started: started).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            // The node is shutting down: the run stays running and is claimed again on restart.
            return;
        }
        catch (SleepTimeValidationException ex)
        {
            await FinishAsync(run, RunStatus.Skipped, default, context.Version, reason: ex.Message, started: started).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            result = new SleepResult(run.ContextId, SleepStatus.Failed, null, [], default, Stopwatch.GetElapsedTime(started), SleepFailureReason.ProviderError, ex.Message);
        }
        finally
        {
            cancellations.Unregister(run.Id);
        }

        telemetry.RecordTokens(ComputePhase.Sleep, result.Usage);
        if (await runs.IsCancelRequestedAsync(run.Id, CancellationToken.None).ConfigureAwait(false))
        {
            await FinishAsync(run, RunStatus.Cancelled, result.Usage, context.Version, reason: "Cancelled on request.", started: started).ConfigureAwait(false);
            return;
        }

        switch (result.Status)
        {
            case SleepStatus.Skipped:
                await FinishAsync(run, RunStatus.Skipped, result.Usage, context.Version, reason: result.Error, started: started).ConfigureAwait(false);
                return;
            case SleepStatus.Succeeded:
                var outcome = await runs.CompleteAsync(
                    new RunCompletion(run.Id, run.Attempt, RunStatus.Succeeded, result.Usage, Cost(result.Usage), context.Version, result.LearnedContext, previous?.Version),
                    CancellationToken.None).ConfigureAwait(false);
                if (outcome == CompletionOutcome.Completed)
                {
                    telemetry.RecordRun(RunStatus.Succeeded, Stopwatch.GetElapsedTime(started));
                    Publish(ServerEvent.RunSucceeded, run with { Status = RunStatus.Succeeded, LearnedVersion = result.LearnedContext!.Version, ContextVersion = context.Version });
                    events.Publish(new ServerEvent(ServerEvent.LearnedContextUpdated, run.TenantId, run.ContextId,
                        new { version = result.LearnedContext.Version, source_version = context.Version, run_id = run.Id }, time.GetUtcNow()));
                    return;
                }

                if (outcome == CompletionOutcome.NotOwned)
                {
                    return;
                }

                await RetryOrFailAsync(run, result.Usage, context.Version, "conflict", "Another sleep committed a newer learned context first.", started, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await RetryOrFailAsync(run, result.Usage, context.Version, result.FailureReason?.ToString(), result.Error ?? "The sleep run failed.", started, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task RetryOrFailAsync(RunRecord run, TokenUsage usage, long contextVersion, string? reason, string error, long started, CancellationToken cancellationToken)
    {
        var options = schedulingOptions.Value;
        if (run.Attempt >= options.MaxAttempts)
        {
            await FinishAsync(run, RunStatus.Failed, usage, contextVersion, reason: reason, error: $"Failed after {run.Attempt} attempts: {error}", started: started).ConfigureAwait(false);
            return;
        }

        await runs.AddAttemptUsageAsync(run.Id, usage, Cost(usage), CancellationToken.None).ConfigureAwait(false);
        var delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds * Math.Pow(2, run.Attempt - 1));
        await runs.RequeueAsync(run.Id, run.Attempt, $"Attempt {run.Attempt}: {error}", time.GetUtcNow() + delay, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Sleep run {RunId} attempt {Attempt} failed ({Reason}); retrying in {Delay}.", run.Id, run.Attempt, reason, delay);
        try
        {
            // The run stays claimed while it waits, so a crash here is recovered like any other interrupted attempt.
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string?> OverBudgetAsync(RunRecord run, SchedulePolicy policy, CancellationToken cancellationToken)
    {
        if (policy.DailyTokenCap is { } contextCap)
        {
            var spent = await ledger.SleepTokensTodayAsync(run.TenantId, run.ContextId, cancellationToken).ConfigureAwait(false);
            if (spent >= contextCap)
            {
                return $"over_budget: the context spent {spent:N0} of its {contextCap:N0} daily sleep tokens.";
            }
        }

        var tenant = await tenants.GetTenantAsync(run.TenantId, cancellationToken).ConfigureAwait(false);
        if (tenant?.DailyTokenCap is { } tenantCap)
        {
            var spent = await ledger.SleepTokensTodayAsync(run.TenantId, null, cancellationToken).ConfigureAwait(false);
            if (spent >= tenantCap)
            {
                return $"over_budget: the tenant spent {spent:N0} of its {tenantCap:N0} daily sleep tokens.";
            }
        }

        return null;
    }

    private async Task FinishAsync(RunRecord run, string status, TokenUsage usage, long? contextVersion, string? reason = null, string? error = null, long started = 0)
    {
        var outcome = await runs.CompleteAsync(new RunCompletion(run.Id, run.Attempt, status, usage, Cost(usage), contextVersion, Reason: reason, Error: error), CancellationToken.None).ConfigureAwait(false);
        if (outcome != CompletionOutcome.Completed)
        {
            return;
        }

        telemetry.RecordRun(status, Stopwatch.GetElapsedTime(started));
        var type = status switch
        {
            RunStatus.Failed => ServerEvent.RunFailed,
            RunStatus.Cancelled => ServerEvent.RunCancelled,
            RunStatus.Skipped => ServerEvent.RunSkipped,
            _ => ServerEvent.RunSucceeded,
        };
        Publish(type, run with { Status = status, Reason = reason, Error = error ?? run.Error });
        if (status == RunStatus.Failed)
        {
            logger.LogWarning("Sleep run {RunId} of context {ContextId} failed: {Error}", run.Id, run.ContextId, error);
        }
    }

    private double Cost(TokenUsage usage) => (double)CostModel.FromRatio(serverOptions.Value.CostRatio).Price(ComputePhase.Sleep, usage);

    private void Publish(string type, RunRecord run) => events.Publish(new ServerEvent(type, run.TenantId, run.ContextId, RunView.From(run), time.GetUtcNow()));
}
