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

            if (!await ExecuteAsync(store, run, cancellationToken).ConfigureAwait(false))
            {
                // The run is no longer this attempt's to finish: stop rather than claim it again (and again).
                break;
            }
        }

        // A follow-up queued for later (a debounce still open) keeps its trigger armed.
        if (!cancellationToken.IsCancellationRequested
            && await runs.NextQueuedAsync(tenantId, contextId, cancellationToken).ConfigureAwait(false) is { } next)
        {
            await scheduler.ArmAsync(tenantId, contextId, SleepScheduler.RunTrigger, next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Works one attempt of the run. Returns false when the run turned out not to be this attempt's to finish
    /// (<see cref="CompletionOutcome.NotOwned"/>), or the node is shutting down: the caller must then stop instead of
    /// claiming it again.
    /// </summary>
    private async Task<bool> ExecuteAsync(TenantContextStore store, RunRecord run, CancellationToken cancellationToken)
    {
        using var activity = SleepTimeTelemetry.Source.StartActivity("sleep.run");
        activity?.SetTag("sleeptime.run_id", run.Id);
        activity?.SetTag("sleeptime.context_id", run.ContextId);
        activity?.SetTag("sleeptime.attempt", run.Attempt);
        var started = Stopwatch.GetTimestamp();

        // A cancel that arrived between attempts (e.g. during a retry's backoff) ends the run before it costs anything.
        if (run.CancelRequested)
        {
            return await FinishAsync(run, RunStatus.Cancelled, default, null, reason: CancelledReason, started: started).ConfigureAwait(false);
        }

        Publish(ServerEvent.RunStarted, run);

        var options = schedulingOptions.Value;
        if (run.Attempt > options.MaxAttempts)
        {
            return await FinishAsync(run, RunStatus.Failed, default, null, reason: "attempts_exhausted",
                error: $"Gave up after {options.MaxAttempts} attempts. Last error: {run.Error ?? "the process stopped during the run"}", started: started).ConfigureAwait(false);
        }

        var context = await store.GetAsync(run.ContextId, cancellationToken).ConfigureAwait(false);
        var summary = await store.GetSummaryAsync(run.ContextId, cancellationToken).ConfigureAwait(false);
        if (context is null || summary is null)
        {
            return await FinishAsync(run, RunStatus.Cancelled, default, null, reason: "The context was deleted.", started: started).ConfigureAwait(false);
        }

        var policy = SchedulePolicy.FromJson(summary.Schedule, options.Defaults);
        if (await OverBudgetAsync(run, policy, cancellationToken).ConfigureAwait(false) is { } budgetReason)
        {
            return await FinishAsync(run, RunStatus.Skipped, default, context.Version, reason: budgetReason, started: started).ConfigureAwait(false);
        }

        if (models.Sleep is not { } sleepPhase)
        {
            return await FinishAsync(run, RunStatus.Failed, default, context.Version, reason: "no_model", error: models.SleepProblem, started: started).ConfigureAwait(false);
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
            return await FinishAsync(run, RunStatus.Cancelled, default, context.Version, reason: CancelledReason, started: started).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The node is shutting down: the run stays running and is claimed again on restart.
            return false;
        }
        catch (SleepTimeValidationException ex)
        {
            return await FinishAsync(run, RunStatus.Skipped, default, context.Version, reason: ex.Message, started: started).ConfigureAwait(false);
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
            return await FinishAsync(run, RunStatus.Cancelled, result.Usage, context.Version, reason: CancelledReason, started: started).ConfigureAwait(false);
        }

        switch (result.Status)
        {
            case SleepStatus.Skipped:
                return await FinishAsync(run, RunStatus.Skipped, result.Usage, context.Version, reason: result.Error, started: started).ConfigureAwait(false);
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
                    return true;
                }

                if (outcome == CompletionOutcome.NotOwned)
                {
                    // Most likely a cancel that arrived after the check above: the run ends cancelled, its work discarded.
                    return await CancelIfRequestedAsync(run, result.Usage, context.Version, started).ConfigureAwait(false);
                }

                return await RetryOrFailAsync(run, result.Usage, context.Version, "conflict", "Another sleep committed a newer learned context first.", started, cancellationToken).ConfigureAwait(false);
            default:
                return await RetryOrFailAsync(run, result.Usage, context.Version, result.FailureReason?.ToString(), result.Error ?? "The sleep run failed.", started, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> RetryOrFailAsync(RunRecord run, TokenUsage usage, long contextVersion, string? reason, string error, long started, CancellationToken cancellationToken)
    {
        var options = schedulingOptions.Value;
        if (run.Attempt >= options.MaxAttempts)
        {
            return await FinishAsync(run, RunStatus.Failed, usage, contextVersion, reason: reason, error: $"Failed after {run.Attempt} attempts: {error}", started: started).ConfigureAwait(false);
        }

        await runs.AddAttemptUsageAsync(run.Id, usage, Cost(usage), CancellationToken.None).ConfigureAwait(false);
        var delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds * Math.Pow(2, run.Attempt - 1));
        if (!await runs.RequeueAsync(run.Id, run.Attempt, $"Attempt {run.Attempt}: {error}", time.GetUtcNow() + delay, CancellationToken.None).ConfigureAwait(false))
        {
            return false;
        }

        logger.LogInformation("Sleep run {RunId} attempt {Attempt} failed ({Reason}); retrying in {Delay}.", run.Id, run.Attempt, reason, delay);

        // The backoff listens for a cancel of this run too, so a cancel ends the run now instead of after another model call.
        using var cancel = cancellations.Register(run.Id, cancellationToken);
        try
        {
            // A cancel requested before the registration found nothing to signal: look once, after registering.
            if (!await runs.IsCancelRequestedAsync(run.Id, CancellationToken.None).ConfigureAwait(false))
            {
                // The run stays claimed while it waits, so a crash here is recovered like any other interrupted attempt.
                await Task.Delay(delay, time, cancel.Token).ConfigureAwait(false);
                return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            // The node is shutting down: the run stays running and is claimed again on restart.
            return false;
        }
        finally
        {
            cancellations.Unregister(run.Id);
        }

        return await FinishAsync(run, RunStatus.Cancelled, default, contextVersion, reason: CancelledReason, started: started).ConfigureAwait(false);
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

    /// <summary>
    /// Ends the run as <paramref name="status"/>; when a cancel is pending, it ends cancelled instead. Returns false when
    /// the run is not this attempt's to finish (nothing was written).
    /// </summary>
    private async Task<bool> FinishAsync(RunRecord run, string status, TokenUsage usage, long? contextVersion, string? reason = null, string? error = null, long started = 0)
    {
        var outcome = await runs.CompleteAsync(new RunCompletion(run.Id, run.Attempt, status, usage, Cost(usage), contextVersion, Reason: reason, Error: error), CancellationToken.None).ConfigureAwait(false);
        if (outcome == CompletionOutcome.NotOwned && status != RunStatus.Cancelled)
        {
            // A cancel arrived during this attempt: the store accepts only a cancelled ending now.
            return await CancelIfRequestedAsync(run, usage, contextVersion, started).ConfigureAwait(false);
        }

        if (outcome != CompletionOutcome.Completed)
        {
            logger.LogInformation("Sleep run {RunId} attempt {Attempt} is no longer this node's to finish ({Outcome}); leaving it.", run.Id, run.Attempt, outcome);
            return false;
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

        return true;
    }

    /// <summary>Ends the run cancelled when a cancel is pending; false (stop working it) when it is not, or not ours.</summary>
    private async Task<bool> CancelIfRequestedAsync(RunRecord run, TokenUsage usage, long? contextVersion, long started)
    {
        if (!await runs.IsCancelRequestedAsync(run.Id, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogInformation("Sleep run {RunId} attempt {Attempt} is no longer this node's to finish; leaving it.", run.Id, run.Attempt);
            return false;
        }

        return await FinishAsync(run, RunStatus.Cancelled, usage, contextVersion, reason: CancelledReason, started: started).ConfigureAwait(false);
    }

    private const string CancelledReason = "Cancelled on request.";

    private double Cost(TokenUsage usage) => (double)CostModel.FromRatio(serverOptions.Value.CostRatio).Price(ComputePhase.Sleep, usage);

    private void Publish(string type, RunRecord run) => events.Publish(new ServerEvent(type, run.TenantId, run.ContextId, RunView.From(run), time.GetUtcNow()));
}
