using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Models;
using SleepTime.Bench.Provenance;

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
    private readonly LargePromptCollector collector = new();

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
        if (RunPlan.SleepUsable(store, key, ItemHashes.Of(context), options.Prompts))
        {
            return Task.FromResult(store.Sleeps[key]);
        }

        // Lazy: the first question of a context starts the sleep, the others wait for the same one.
        return sleeps.GetOrAdd(key, _ => new Lazy<Task<SleepRecord>>(() => RunSleepAsync(key, context, arm, cancellationToken))).Value;
    }

    private async Task<SleepRecord> RunSleepAsync(string key, BenchContext context, Arm arm, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var seeds = Enumerable.Range(0, arm.SleepRuns).Select(i => options.SleepSampling.SeedFor(i)).ToList();
        SleepResult result;
        if (string.IsNullOrWhiteSpace(context.Text))
        {
            // A problem stated in one sentence has nothing to study ahead (the paper keeps it with an empty context).
            result = new SleepResult(context.Id, SleepStatus.Succeeded, null, [], TokenUsage.Zero, TimeSpan.Zero);
        }
        else
        {
            result = await SleepRunsAsync(context, arm, seeds, cancellationToken).ConfigureAwait(false);
        }

        var record = new SleepRecord(
            key,
            context.Id,
            arm.SleepRuns,
            arm.SleepEffort?.ToString().ToLowerInvariant(),
            result.Succeeded,
            result.LearnedContext?.Blocks.Select(b => new StoredBlock(b.Label, b.Value, b.Limit)).ToList() ?? [],
            StoredUsage.From(result.Usage),
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            result.Error,
            ItemHashes.Of(context),
            options.Prompts.SleepHash,
            seeds.All(s => s is null) ? null : seeds.Select(s => s ?? 0).ToList());
        store.Append(record);
        Counters.SleepDone(result.Usage, !result.Succeeded);
        return record;
    }

    /// <summary>
    /// The k runs of one sleep, each a one-run sleep phase with its own seed (so the k requests differ), their
    /// memories concatenated as the engine does for a k-run sleep; one failed run fails the sleep.
    /// </summary>
    private async Task<SleepResult> SleepRunsAsync(BenchContext context, Arm arm, IReadOnlyList<long?> seeds, CancellationToken cancellationToken)
    {
        var sleepOptions = new SleepOptions
        {
            Runs = 1,
            ReasoningEffort = arm.SleepEffort,
            Variant = options.SleepVariant,
            Mode = options.SleepMode,
            Incremental = false,
        };
        var snapshot = context.ToSnapshot();
        var runs = seeds.Select(async seed =>
        {
            var phase = new SleepPhase(new SamplingChatClient(sleepModel, options.SleepSampling.Temperature, seed), prompts: options.Prompts.Library);
            try
            {
                return await phase.RunAsync(snapshot, null, sleepOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new SleepResult(context.Id, SleepStatus.Failed, null, [], TokenUsage.Zero, TimeSpan.Zero, Error: ex.Message);
            }
        });
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        collector.Sent(context.Text.Length * seeds.Count);
        cancellationToken.ThrowIfCancellationRequested();
        var usage = TokenUsage.Sum(results.Select(r => r.Usage));
        var duration = results.Max(r => r.Duration);
        var failed = Array.FindIndex(results, r => !r.Succeeded);
        if (failed >= 0)
        {
            var error = results.Length == 1 ? results[0].Error : $"Run {failed + 1} of {results.Length} failed: {results[failed].Error}";
            return new SleepResult(context.Id, SleepStatus.Failed, null, results.SelectMany(r => r.Runs).ToList(), usage, duration, results[failed].FailureReason, error);
        }

        var blocks = results.Select((r, i) => r.LearnedContext!.Blocks[0] with { Label = results.Length == 1 ? sleepOptions.BlockLabel : $"{sleepOptions.BlockLabel}_{i + 1}" }).ToList();
        var first = results[0].LearnedContext!;
        var learned = first with { Blocks = blocks, Provenance = first.Provenance with { Runs = results.Length, Usage = usage } };
        return new SleepResult(context.Id, SleepStatus.Succeeded, learned, results.SelectMany(r => r.Runs).ToList(), usage, duration);
    }

    private async Task AnswerAsync(AnswerWork work, SleepRecord? sleep, CancellationToken cancellationToken)
    {
        var itemHash = ItemHashes.Of(work.Context, work.Question);
        var promptVersion = options.Prompts.TestVersion(work.Arm.Verbosity, work.Arm.Kind == ArmKind.ContextOnly);
        var seed = options.TestSampling.SeedFor(work.Sample);
        if (work.Arm.NeedsSleep && sleep is not { Succeeded: true })
        {
            // Answering without the learned context would grade a baseline answer as sleep-time: leave it out.
            store.Append(new AnswerRecord(work.Key, work.Context.Id, work.Question.Id, work.Arm.Name, work.Sample, work.Question.Expected, null, StoredUsage.From(TokenUsage.Zero), 0, sleep?.Key,
                $"not answered: the sleep failed ({sleep?.Error ?? "no sleep result"})", AnswerRecord.SleepFailed, itemHash, options.Prompts.TestHash, promptVersion, seed, work.Question.Category));
            Counters.AnswerExcluded();
            return;
        }

        var learned = sleep is { Succeeded: true, Blocks.Count: > 0 } ? ToLearnedContext(sleep) : null;
        var phase = testPhases.GetOrAdd(work.Sample, sample => new TestPhase(new SamplingChatClient(testModel, options.TestSampling.Temperature, options.TestSampling.SeedFor(sample)), prompts: options.Prompts.Library));
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
            // A failed call is recorded (and graded wrong) rather than stopping the run; the next run into the folder redoes it.
            error = ex.Message;
        }

        collector.Sent(work.Context.Text.Length);
        Judging.JudgeVerdict? verdict = null;
        if (options.Judge is { } judge && reply is not null)
        {
            try
            {
                verdict = await judge.JudgeAsync(work.Question, reply, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = "judge: " + ex.Message;
            }
        }

        store.Append(new AnswerRecord(work.Key, work.Context.Id, work.Question.Id, work.Arm.Name, work.Sample, work.Question.Expected, reply, StoredUsage.From(usage), latency.TotalMilliseconds, sleep?.Key, error,
            null, itemHash, options.Prompts.TestHash, promptVersion, seed, work.Question.Category, verdict?.Correct, options.Judge?.Fingerprint, verdict is null ? null : StoredUsage.From(verdict.Usage)));
        Counters.AnswerDone(usage, error is not null);
    }

    private static LearnedContext ToLearnedContext(SleepRecord sleep) => new(
        sleep.ContextId,
        1,
        sleep.Blocks.Select(b => Block.OfLearned(sleep.ContextId, b.Label, b.Value, b.Limit)).ToList(),
        new LearnedContextProvenance(1, null, "bench", 1, sleep.Runs, false, null, sleep.Usage.ToTokenUsage(), DateTimeOffset.UnixEpoch));
}
