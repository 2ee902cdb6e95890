using System.Diagnostics;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Works off a sleeper's runs inside its Quartz job, the same for a context's default sleeper and a sleep-time agent:
/// claims a run, checks budgets (tenant, then sleeper), runs the sleeper's loop strategy, and finishes the run together
/// with what it produced, its usage and its watermark in one transaction. Failed attempts are retried with exponential
/// backoff; a run left running by a crashed or stopped process is claimed again with its attempt counted.
/// </summary>
public sealed class RunExecutor(
    RunStore runs,
    TenantStore tenants,
    TenantStores stores,
    UsageLedger ledger,
    ModelClients models,
    SleepTimeModelResolver agentModels,
    EventHub events,
    RunCancellations cancellations,
    SleepTimeTelemetry telemetry,
    IServiceProvider services,
    IOptions<SchedulingOptions> schedulingOptions,
    IOptions<ServerOptions> serverOptions,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    private const string CancelledReason = "Cancelled on request.";

    /// <summary>This node's name in the runs it claims.</summary>
    public string Node { get; } = schedulingOptions.Value.NodeName ?? Environment.MachineName + ":" + Environment.ProcessId;

    public async Task WorkAsync(string tenantId, string kind, string sleeperId, string? trigger, CancellationToken cancellationToken)
    {
        var scheduler = services.GetRequiredService<SleepScheduler>();
        if (trigger is TriggerKinds.Idle or TriggerKinds.Cron)
        {
            // Idle and cron triggers only sleep when there is something unread.
            try
            {
                var unread = kind == SleeperKind.Agent
                    ? await stores.Agents(tenantId).Agents.UnreadAsync(sleeperId, cancellationToken).ConfigureAwait(false)
                    : await stores.Contexts(tenantId).UnreadAsync(sleeperId, cancellationToken).ConfigureAwait(false);
                if (TriggerDecision.TimeTriggerDue(unread))
                {
                    var memoryId = await scheduler.MemoryOfAsync(tenantId, kind, sleeperId, cancellationToken).ConfigureAwait(false);
                    await runs.EnqueueAsync(tenantId, kind, sleeperId, memoryId, trigger, time.GetUtcNow(), reschedule: true, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (SleepTimeNotFoundException)
            {
                return; // The sleeper was deleted after its trigger was armed.
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var run = await runs.ClaimNextAsync(tenantId, kind, sleeperId, Node, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                break;
            }

            if (!await ExecuteAsync(run, cancellationToken).ConfigureAwait(false))
            {
                // The run is no longer this attempt's to finish: stop rather than claim it again (and again).
                break;
            }
        }

        // A follow-up queued for later (a debounce still open) keeps its trigger armed.
        if (!cancellationToken.IsCancellationRequested
            && await runs.NextQueuedAsync(tenantId, kind, sleeperId, cancellationToken).ConfigureAwait(false) is { } next)
        {
            await scheduler.ArmAsync(tenantId, kind, sleeperId, SleepScheduler.RunTrigger, next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Works one attempt of the run. Returns false when the run turned out not to be this attempt's to finish
    /// (<see cref="CompletionOutcome.NotOwned"/>), or the node is shutting down: the caller must then stop instead of
    /// claiming it again.
    /// </summary>
    private async Task<bool> ExecuteAsync(RunRecord run, CancellationToken cancellationToken)
    {
        using var activity = SleepTimeTelemetry.Source.StartActivity("sleep.run");
        activity?.SetTag("sleeptime.run_id", run.Id);
        activity?.SetTag("sleeptime.kind", run.Kind);
        activity?.SetTag("sleeptime.sleeper_id", run.SleeperId);
        activity?.SetTag("sleeptime.memory_id", run.MemoryId);
        activity?.SetTag("sleeptime.attempt", run.Attempt);
        var started = Stopwatch.GetTimestamp();

        // A cancel that arrived between attempts (e.g. during a retry's backoff) ends the run before it costs anything.
        if (run.CancelRequested)
        {
            return await FinishAsync(run, new SleepAttempt(RunStatus.Cancelled, default, CancelledReason), started).ConfigureAwait(false);
        }

        Publish(ServerEvent.RunStarted, run);
        var options = schedulingOptions.Value;
        if (run.Attempt > options.MaxAttempts)
        {
            return await FinishAsync(run, new SleepAttempt(RunStatus.Failed, default, "attempts_exhausted",
                $"Gave up after {options.MaxAttempts} attempts. Last error: {run.Error ?? "the process stopped during the run"}"), started).ConfigureAwait(false);
        }

        SleepAttempt attempt;
        using (var cancel = cancellations.Register(run.Id, cancellationToken))
        {
            try
            {
                attempt = run.Kind == SleeperKind.Agent
                    ? await SleepAgentAsync(run, cancel.Token).ConfigureAwait(false)
                    : await SleepContextAsync(run, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                attempt = new SleepAttempt(RunStatus.Cancelled, default, CancelledReason);
            }
            catch (OperationCanceledException)
            {
                // The node is shutting down: the run stays running and is claimed again on restart (or by another node).
                return false;
            }
            finally
            {
                cancellations.Unregister(run.Id);
            }
        }

        telemetry.RecordTokens(ComputePhase.Sleep, attempt.Usage);
        if (attempt.Status != RunStatus.Cancelled && await runs.IsCancelRequestedAsync(run.Id, CancellationToken.None).ConfigureAwait(false))
        {
            attempt = attempt with { Status = RunStatus.Cancelled, Reason = CancelledReason, Error = null, Learned = null, Agent = null };
        }

        if (attempt.Status != RunStatus.Succeeded)
        {
            return attempt.Status == RunStatus.Failed && attempt.Retry
                ? await RetryOrFailAsync(run, attempt, started, cancellationToken).ConfigureAwait(false)
                : await FinishAsync(run, attempt, started).ConfigureAwait(false);
        }

        var completion = await runs.CompleteAsync(Completion(run, attempt), CancellationToken.None).ConfigureAwait(false);
        switch (completion.Outcome)
        {
            case CompletionOutcome.Completed:
                telemetry.RecordRun(RunStatus.Succeeded, Stopwatch.GetElapsedTime(started));
                var finished = await runs.GetAsync(run.TenantId, run.Id, CancellationToken.None).ConfigureAwait(false) ?? run;
                Publish(ServerEvent.RunSucceeded, finished);
                await PublishMemoryAsync(finished, attempt, completion.ChangeSet).ConfigureAwait(false);
                if (attempt.FollowUp)
                {
                    await services.GetRequiredService<SleepScheduler>().TriggerNowAsync(run.TenantId, run.Kind, run.SleeperId, run.MemoryId, TriggerKinds.Document, CancellationToken.None).ConfigureAwait(false);
                }

                return true;
            case CompletionOutcome.NotOwned:
                // Most likely a cancel that arrived after the check above: the run ends cancelled, its work discarded.
                return await CancelIfRequestedAsync(run, attempt.Usage, started).ConfigureAwait(false);
            default:
                return await RetryOrFailAsync(run, attempt with { Status = RunStatus.Failed, Reason = "conflict", Error = "Another run committed newer memory first." }, started, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The paper's whole-block strategy over a context's current version.</summary>
    private async Task<SleepAttempt> SleepContextAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var store = stores.Contexts(run.TenantId);
        if (await store.GetSummaryAsync(run.SleeperId, cancellationToken).ConfigureAwait(false) is not { } summary
            || await store.GetAsync(run.SleeperId, cancellationToken).ConfigureAwait(false) is not { } context)
        {
            return new SleepAttempt(RunStatus.Cancelled, default, "The context was deleted.");
        }

        var policy = SchedulePolicy.FromJson(summary.Schedule, schedulingOptions.Value.Defaults);
        var budget = await BudgetAsync(run, policy, cancellationToken).ConfigureAwait(false);
        if (budget.Problem is { } overBudget)
        {
            return new SleepAttempt(RunStatus.Skipped, default, overBudget, ContextVersion: context.Version);
        }

        if (models.Sleep is not { } sleepPhase)
        {
            return new SleepAttempt(RunStatus.Failed, default, "no_model", models.SleepProblem, ContextVersion: context.Version, Retry: false);
        }

        var previous = await store.GetCurrentAsync(run.SleeperId, cancellationToken).ConfigureAwait(false);
        SleepResult result;
        try
        {
            result = context.Kind == ContextKind.Codebase
                ? await services.GetRequiredService<CodebaseService>().SleepAsync(context, previous, budget.Remaining, cancellationToken).ConfigureAwait(false)
                : await sleepPhase.RunAsync(context, previous, models.SleepOptionsFor(policy.ToSleepOptions(budget.Remaining)), cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeValidationException ex)
        {
            return new SleepAttempt(RunStatus.Skipped, default, ex.Message, ContextVersion: context.Version);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SleepAttempt(RunStatus.Failed, default, SleepFailureReason.ProviderError.ToCode(), ex.Message, ContextVersion: context.Version);
        }

        return result.Status switch
        {
            SleepStatus.Skipped => new SleepAttempt(RunStatus.Skipped, result.Usage, result.Error, ContextVersion: context.Version),
            SleepStatus.Succeeded => new SleepAttempt(RunStatus.Succeeded, result.Usage, ContextVersion: context.Version, Learned: result.LearnedContext,
                ExpectedLearned: previous?.Version, Model: result.LearnedContext!.Provenance.Model, ToolErrors: result.Runs.Sum(r => r.ToolErrors)),
            _ => new SleepAttempt(RunStatus.Failed, result.Usage, ReasonOf(result.FailureReason), result.Error ?? "The sleep run failed.",
                ContextVersion: context.Version, ToolErrors: result.Runs.Sum(r => r.ToolErrors), Retry: Retriable(result.FailureReason)),
        };
    }

    /// <summary>Letta's line-edit strategy over a primary agent's blocks, reading the transcript and documents after the watermark.</summary>
    private async Task<SleepAttempt> SleepAgentAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var agentStores = stores.Agents(run.TenantId);
        if (await agentStores.Agents.GetSleepTimeAgentAsync(run.SleeperId, cancellationToken).ConfigureAwait(false) is not { } sleeper)
        {
            return new SleepAttempt(RunStatus.Cancelled, default, "The sleep-time agent was deleted.");
        }

        var budget = await BudgetAsync(run, sleeper.Schedule, cancellationToken).ConfigureAwait(false);
        if (budget.Problem is { } overBudget)
        {
            return new SleepAttempt(RunStatus.Skipped, default, overBudget);
        }

        Microsoft.Extensions.AI.IChatClient? model;
        try
        {
            model = agentModels.SleepTime(await agentStores.Agents.GetModelAsync(sleeper.Id, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SleepTimeException or OptionsValidationException)
        {
            return new SleepAttempt(RunStatus.Failed, default, "no_model", $"The sleep-time agent's model is not usable: {ex.Message}", Retry: false);
        }

        if (model is null)
        {
            return new SleepAttempt(RunStatus.Failed, default, "no_model", models.SleepProblem ?? "No sleep model is configured.", Retry: false);
        }

        var sleep = new AgentSleep(agentStores.ToAgentStores(), new AgentSleepOptions(), time);
        AgentSleepResult result;
        try
        {
            result = await sleep.RunAsync(sleeper, model, run.Id, budget.Remaining, cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeNotFoundException ex)
        {
            return new SleepAttempt(RunStatus.Cancelled, default, ex.Message);
        }

        return result.Status switch
        {
            RunStatus.Skipped => new SleepAttempt(RunStatus.Skipped, result.Usage, result.Reason),
            RunStatus.Succeeded => new SleepAttempt(RunStatus.Succeeded, result.Usage, Agent: new AgentRunCommit(sleeper, result), Model: result.Model,
                ToolErrors: result.ToolErrors, FollowUp: result.MoreDocuments),
            _ => new SleepAttempt(RunStatus.Failed, result.Usage, ReasonOf(result.FailureReason), result.Error ?? "The sleep-time run failed.",
                Model: result.Model, ToolErrors: result.ToolErrors, Retry: Retriable(result.FailureReason), ReadFrom: result.ReadFrom),
        };
    }

    /// <summary>
    /// The tokens the run may still spend today: the tenant's cap first, then the sleeper's own (a context's policy
    /// cap is its memory's). A run with nothing left is skipped before it starts; one with something left is stopped
    /// by its loop when it would cross it.
    /// </summary>
    private async Task<(long? Remaining, string? Problem)> BudgetAsync(RunRecord run, SchedulePolicy policy, CancellationToken cancellationToken)
    {
        long? remaining = null;
        var tenant = await tenants.GetTenantAsync(run.TenantId, cancellationToken).ConfigureAwait(false);
        if (tenant?.DailyTokenCap is { } tenantCap)
        {
            var spent = await ledger.SleepTokensTodayAsync(run.TenantId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (spent >= tenantCap)
            {
                return (0, $"over_budget: the tenant spent {spent:N0} of its {tenantCap:N0} daily sleep tokens.");
            }

            remaining = tenantCap - spent;
        }

        if (policy.DailyTokenCap is { } sleeperCap)
        {
            var spent = await ledger.SleepTokensTodayAsync(run.TenantId, sleeperId: run.SleeperId, cancellationToken: cancellationToken).ConfigureAwait(false);
            var what = run.Kind == SleeperKind.Agent ? "sleep-time agent" : "context";
            if (spent >= sleeperCap)
            {
                return (0, $"over_budget: the {what} spent {spent:N0} of its {sleeperCap:N0} daily sleep tokens.");
            }

            remaining = Math.Min(remaining ?? long.MaxValue, sleeperCap - spent);
        }

        return (remaining, null);
    }

    private async Task<bool> RetryOrFailAsync(RunRecord run, SleepAttempt attempt, long started, CancellationToken cancellationToken)
    {
        var options = schedulingOptions.Value;
        if (run.Attempt >= options.MaxAttempts)
        {
            return await FinishAsync(run, attempt with { Error = $"Failed after {run.Attempt} attempts: {attempt.Error}" }, started).ConfigureAwait(false);
        }

        await runs.AddAttemptUsageAsync(run.Id, attempt.Usage, Cost(attempt.Usage), attempt.ToolErrors, CancellationToken.None).ConfigureAwait(false);
        var delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds * Math.Pow(2, run.Attempt - 1));
        if (!await runs.RequeueAsync(run.Id, run.Attempt, $"Attempt {run.Attempt}: {attempt.Error}", time.GetUtcNow() + delay, CancellationToken.None).ConfigureAwait(false))
        {
            return false;
        }

        logger.LogInformation("Sleep run {RunId} attempt {Attempt} failed ({Reason}); retrying in {Delay}.", run.Id, run.Attempt, attempt.Reason, delay);

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

        return await FinishAsync(run, new SleepAttempt(RunStatus.Cancelled, default, CancelledReason), started).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the run as the attempt says (never with memory: only a success commits that); when a cancel is pending, it
    /// ends cancelled instead. Returns false when the run is not this attempt's to finish (nothing was written).
    /// </summary>
    private async Task<bool> FinishAsync(RunRecord run, SleepAttempt attempt, long started)
    {
        var ending = attempt with { Learned = null, Agent = null, ReadFrom = attempt.ReadFrom ?? attempt.Agent?.Result.ReadFrom };
        var completion = await runs.CompleteAsync(Completion(run, ending), CancellationToken.None).ConfigureAwait(false);
        if (completion.Outcome == CompletionOutcome.NotOwned && attempt.Status != RunStatus.Cancelled)
        {
            // A cancel arrived during this attempt: the store accepts only a cancelled ending now.
            return await CancelIfRequestedAsync(run, attempt.Usage, started).ConfigureAwait(false);
        }

        if (completion.Outcome != CompletionOutcome.Completed)
        {
            logger.LogInformation("Sleep run {RunId} attempt {Attempt} is no longer this node's to finish ({Outcome}); leaving it.", run.Id, run.Attempt, completion.Outcome);
            return false;
        }

        telemetry.RecordRun(attempt.Status, Stopwatch.GetElapsedTime(started));
        var finished = await runs.GetAsync(run.TenantId, run.Id, CancellationToken.None).ConfigureAwait(false) ?? run;
        Publish(ServerEvent.OfRunStatus(attempt.Status), finished);
        if (attempt.Status == RunStatus.Failed)
        {
            logger.LogWarning("Sleep run {RunId} of {Kind} sleeper {SleeperId} failed: {Error}", run.Id, run.Kind, run.SleeperId, attempt.Error);
        }

        return true;
    }

    /// <summary>Ends the run cancelled when a cancel is pending; false (stop working it) when it is not, or not ours.</summary>
    private async Task<bool> CancelIfRequestedAsync(RunRecord run, TokenUsage usage, long started)
    {
        if (!await runs.IsCancelRequestedAsync(run.Id, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogInformation("Sleep run {RunId} attempt {Attempt} is no longer this node's to finish; leaving it.", run.Id, run.Attempt);
            return false;
        }

        return await FinishAsync(run, new SleepAttempt(RunStatus.Cancelled, usage, CancelledReason), started).ConfigureAwait(false);
    }

    private async Task PublishMemoryAsync(RunRecord run, SleepAttempt attempt, ChangeSet? changeSet)
    {
        var now = time.GetUtcNow();
        if (attempt.Learned is { } learned)
        {
            events.Publish(new ServerEvent(ServerEvent.MemoryUpdated, run.TenantId, run.MemoryId,
                new { kind = SleeperKind.Context, memory_id = run.MemoryId, version = learned.Version, source_version = learned.Provenance.SourceVersion, run_id = run.Id }, now));
        }

        if (changeSet is not null)
        {
            await AgentEvents.PublishChangeSetAsync(events, stores.Agents(run.TenantId), changeSet, now, ServerEvent.ChangeSetCreated).ConfigureAwait(false);
        }
    }

    private RunCompletion Completion(RunRecord run, SleepAttempt attempt) => new(
        run.Id, run.Attempt, attempt.Status, attempt.Usage, Cost(attempt.Usage), attempt.ContextVersion, attempt.Learned, attempt.ExpectedLearned,
        attempt.Reason, attempt.Error, attempt.Agent, attempt.Model, attempt.ToolErrors, attempt.ReadFrom);

    private static string? ReasonOf(SleepFailureReason? reason) => reason?.ToCode();

    /// <summary>A run that hit its token budget is not retried: another attempt would cross it again.</summary>
    private static bool Retriable(SleepFailureReason? reason) => reason != SleepFailureReason.OverBudget;

    private double Cost(TokenUsage usage) => (double)CostModel.FromRatio(serverOptions.Value.CostRatio).Price(ComputePhase.Sleep, usage);

    private void Publish(string type, RunRecord run) => events.Publish(ServerEvent.ForRun(type, run, time.GetUtcNow()));

    /// <summary>How one attempt of a sleep ended, before it is written.</summary>
    private sealed record SleepAttempt(
        string Status,
        TokenUsage Usage,
        string? Reason = null,
        string? Error = null,
        long? ContextVersion = null,
        LearnedContext? Learned = null,
        long? ExpectedLearned = null,
        AgentRunCommit? Agent = null,
        string? Model = null,
        int ToolErrors = 0,
        bool Retry = true,
        bool FollowUp = false,
        SleepTimeWatermark? ReadFrom = null);
}
