using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Answers a query with the test phase and records it; shared by the REST API and the OpenAI facade.</summary>
public sealed class QueryService(ModelClients models, QueryStore queries, RunStore runs, SleepTimeTelemetry telemetry, IOptions<ServerOptions> options, TimeProvider time, CodebaseService codebases)
{
    public static AskOptions ParseOptions(string? arm, BudgetRequest? budget, bool? includeRawContext)
    {
        var parsedArm = arm?.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant() switch
        {
            null or "sleeptime" => AnswerArm.SleepTime,
            "baseline" => AnswerArm.Baseline,
            "contextonly" => AnswerArm.ContextOnly,
            _ => throw new SleepTimeValidationException("arm", $"Unknown arm '{arm}': use sleep_time, baseline or context_only."),
        };
        ReasoningEffort? effort = null;
        if (budget?.ReasoningEffort is { } text)
        {
            effort = Enum.TryParse<ReasoningEffort>(text, ignoreCase: true, out var e) && Enum.IsDefined(e) && !int.TryParse(text, out _)
                ? e
                : throw new SleepTimeValidationException("reasoning_effort", $"Unknown reasoning effort '{text}': use one of {string.Join(", ", Enum.GetNames<ReasoningEffort>()).ToLowerInvariant()}.");
        }

        return new AskOptions
        {
            Arm = parsedArm,
            Budget = new AnswerBudget(budget?.Verbosity ?? AnswerBudget.Default.Verbosity, budget?.MaxTokens, effort),
            IncludeRawContext = includeRawContext ?? true,
        };
    }

    /// <summary>Waits until the context has no queued or running sleep run, or the timeout passes; true when it waited one out.</summary>
    public async Task<bool> WaitForRunsAsync(string tenantId, string contextId, double? timeoutSeconds, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxWaitSeconds;
        if (timeoutSeconds is { } t && (!(t >= 0) || t > max))
        {
            throw new SleepTimeValidationException("wait_timeout_seconds", $"wait_timeout_seconds must be between 0 and {max}.");
        }

        var deadline = time.GetUtcNow().AddSeconds(timeoutSeconds ?? 30);
        var waited = false;
        while (await runs.HasLiveRunAsync(tenantId, SleeperKind.Context, contextId, cancellationToken).ConfigureAwait(false))
        {
            if (time.GetUtcNow() >= deadline)
            {
                break;
            }

            waited = true;
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        return waited;
    }

    /// <summary>Answers, or returns null with the reason no test model is available.</summary>
    public async Task<(QueryRecord? Record, string? Unavailable)> AnswerAsync(string tenantId, TenantContextStore store, ContextSnapshot context, string? question, AskOptions ask, CancellationToken cancellationToken)
    {
        if (models.Test is not { } phase)
        {
            return (null, models.TestProblem);
        }

        using var activity = SleepTimeTelemetry.Source.StartActivity("query");
        activity?.SetTag("sleeptime.context_id", context.Id);
        var started = Stopwatch.GetTimestamp();
        var learned = ask.Arm == AnswerArm.Baseline ? null : await store.GetCurrentAsync(context.Id, cancellationToken).ConfigureAwait(false);
        var answer = context.Kind == ContextKind.Codebase
            ? await codebases.AnswerAsync(context, learned, question, ask, cancellationToken).ConfigureAwait(false)
            : await phase.AnswerAsync(context, learned, question, ask, cancellationToken).ConfigureAwait(false);
        var record = await RecordAsync(tenantId, answer, started, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("sleeptime.learned_version", answer.LearnedContextVersion);
        return (record, null);
    }

    /// <summary>Records an answer (the query with its usage in the ledger) and its telemetry; <paramref name="started"/> is a <see cref="Stopwatch"/> timestamp.</summary>
    public async Task<QueryRecord> RecordAsync(string tenantId, Answer answer, long started, CancellationToken cancellationToken)
    {
        var record = await queries.RecordAsync(tenantId, answer, cancellationToken).ConfigureAwait(false);
        telemetry.RecordTokens(ComputePhase.Test, answer.Usage);
        telemetry.RecordQuery(Stopwatch.GetElapsedTime(started));
        return record;
    }
}
