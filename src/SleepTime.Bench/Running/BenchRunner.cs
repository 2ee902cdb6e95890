using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Models;

namespace SleepTime.Bench.Running;

/// <summary>
/// Runs the arms of an experiment over a data set with separate sleep and test models, at most
/// <see cref="BenchRunOptions.Concurrency"/> model calls in flight. Every result is appended to the store as soon as
/// it exists; what the store already holds is not recomputed. Each context is slept on once per sleep setting, and
/// that learned context serves all its questions and every test budget.
/// </summary>
public sealed class BenchRunner
{
    private readonly IChatClient sleepModel;
    private readonly IChatClient testModel;
    private readonly ResultsStore store;
    private readonly BenchRunOptions options;
    private readonly ConcurrentDictionary<string, Lazy<Task<SleepRecord>>> sleeps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, TestPhase> testPhases = new();

    public BenchRunner(IChatClient sleepModel, IChatClient testModel, ResultsStore store, BenchRunOptions? options = null)
    {
        this.sleepModel = sleepModel ?? throw new ArgumentNullException(nameof(sleepModel));
        this.testModel = testModel ?? throw new ArgumentNullException(nameof(testModel));
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options ?? new BenchRunOptions();
    }

    public RunCounters Counters { get; } = new();

    public async Task RunAsync(RunPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Counters.AnswersPlanned = plan.Answers.Count;
        Counters.SleepsPlanned = plan.Sleeps.Count;
        Counters.AnswersReused = plan.AnswersReused;
        Counters.SleepsReused = plan.SleepsReused;

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(plan.Answers, parallel, async (work, token) =>
        {
            SleepRecord? sleep = null;
            if (work.Arm.NeedsSleep)
            {
                sleep = await SleepAsync(work.Context, work.Arm, token).ConfigureAwait(false);
            }

            await AnswerAsync(work, sleep, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private Task<SleepRecord> SleepAsync(BenchContext context, Arm arm, CancellationToken cancellationToken)
    {
        var key = arm.SleepKey(context.Id);
        if (store.TryGetSleep(key, out var stored))
        {
            return Task.FromResult(stored);
        }

        // Lazy: the first question of a context starts the sleep, the others wait for the same one.
        return sleeps.GetOrAdd(key, _ => new Lazy<Task<SleepRecord>>(() => RunSleepAsync(key, context, arm, cancellationToken))).Value;
    }

    private async Task<SleepRecord> RunSleepAsync(string key, BenchContext context, Arm arm, CancellationToken cancellationToken)
    {
        var phase = new SleepPhase(sleepModel);
        var sleepOptions = new SleepOptions
        {
            Runs = arm.SleepRuns,
            ReasoningEffort = arm.SleepEffort,
            Variant = options.SleepVariant,
            Mode = options.SleepMode,
            Incremental = false,
        };
        var started = Stopwatch.GetTimestamp();
        SleepResult result;
        try
        {
            result = await phase.RunAsync(context.ToSnapshot(), null, sleepOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new SleepResult(context.Id, SleepStatus.Failed, null, [], TokenUsage.Zero, Stopwatch.GetElapsedTime(started), Error: ex.Message);
        }

        var record = new SleepRecord(
            key,
            context.Id,
            arm.SleepRuns,
            arm.SleepEffort?.ToString().ToLowerInvariant(),
            result.Succeeded,
            result.LearnedContext?.Blocks.Select(b => new StoredBlock(b.Label, b.Value, b.Limit)).ToList() ?? [],
            StoredUsage.From(result.Usage),
            result.Duration.TotalMilliseconds,
            result.Error);
        store.Append(record);
        Counters.SleepDone(result.Usage, !result.Succeeded);
        return record;
    }

    private async Task AnswerAsync(AnswerWork work, SleepRecord? sleep, CancellationToken cancellationToken)
    {
        var learned = sleep is { Succeeded: true } ? ToLearnedContext(sleep) : null;
        var phase = testPhases.GetOrAdd(work.Sample, sample => new TestPhase(new SeededChatClient(testModel, options.Seed + sample)));
        string? reply = null;
        string? error = null;
        var usage = TokenUsage.Zero;
        var latency = TimeSpan.Zero;
        try
        {
            var answer = await phase.AnswerAsync(work.Context.ToSnapshot(), learned, work.Question.Text, work.Arm.ToAskOptions(), cancellationToken).ConfigureAwait(false);
            reply = answer.Text;
            usage = answer.Usage;
            latency = answer.Latency;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failed call is recorded (and graded wrong) rather than stopping the run; rerun with --retry-failed to redo it.
            error = ex.Message;
        }

        store.Append(new AnswerRecord(work.Key, work.Context.Id, work.Question.Id, work.Arm.Name, work.Sample, work.Question.Expected, reply, StoredUsage.From(usage), latency.TotalMilliseconds, sleep?.Key, error));
        Counters.AnswerDone(usage, reply is null);
    }

    private static LearnedContext ToLearnedContext(SleepRecord sleep) => new(
        sleep.ContextId,
        1,
        sleep.Blocks.Select(b => new MemoryBlock(b.Label, b.Value, b.Limit)).ToList(),
        new LearnedContextProvenance(1, null, "bench", 1, sleep.Runs, false, null, sleep.Usage.ToTokenUsage(), DateTimeOffset.UnixEpoch));
}
