using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Running;

/// <summary>
/// One <c>bench run</c>: loads the data set, checks the output folder against an earlier run (refusing when the data
/// set, prompts, code or settings changed, unless changed content is explicitly allowed), saves the configuration,
/// plans only the missing work, estimates it, and runs it with a progress display.
/// </summary>
public sealed class BenchSession(IChatClient sleepModel, IChatClient testModel, TextWriter output)
{
    /// <summary>The prompts the run uses; the built-in ones unless a folder was loaded.</summary>
    public PromptSet Prompts { get; init; } = PromptSet.Default;

    /// <summary>Continue a folder although the data set content, prompts or code version changed; what depended on them is recomputed.</summary>
    public bool AllowChanged { get; init; }

    /// <summary>Judges free-text answers (the memory benchmarks); <see cref="JudgePrompt"/> overrides the project's own prompt.</summary>
    public (IChatClient Model, string Name)? Judge { get; init; }

    /// <summary>A judge prompt file the user gave; null: the project's own prompt for the benchmark.</summary>
    public Judging.JudgePrompt? JudgePrompt { get; init; }

    public async Task<RunCounters?> RunAsync(RunConfiguration configuration, string folder, bool estimateOnly = false, bool? interactive = null, CancellationToken cancellationToken = default)
    {
        var arms = Arm.ParseList(configuration.Arms);
        var full = BenchDatasets.Read(configuration.Dataset);
        var dataset = Select(full, configuration);
        Judging.AnswerJudge? judge = null;
        if (Judge is { } judgeModel)
        {
            if (!Datasets.Memory.MemoryKinds.IsMemory(dataset.Kind))
            {
                throw new SleepTimeValidationException("judge", $"--judge grades the memory benchmarks (LongMemEval, LoCoMo); {dataset.Name} is {dataset.Kind}, graded by its answer rules.");
            }

            judge = new Judging.AnswerJudge(judgeModel.Model, judgeModel.Name, JudgePrompt ?? Judging.JudgePrompt.For(dataset.Kind));
        }

        var variant = configuration.SleepVariant.Equals(RunConfiguration.AutoVariant, StringComparison.OrdinalIgnoreCase)
            ? (Datasets.Memory.MemoryKinds.IsMemory(dataset.Kind) ? SleepPromptVariant.General : SleepPromptVariant.Math).ToString()
            : configuration.SleepVariant;
        configuration = configuration with
        {
            SleepVariant = variant,
            JudgeModel = judge?.ModelName,
            JudgePromptSource = judge?.Prompt.Source,
            JudgePromptHash = judge?.Prompt.Hash,
            DatasetKind = dataset.Kind.ToString().ToLowerInvariant(),
            DatasetHash = File.Exists(configuration.Dataset) ? ContentHash.OfFile(configuration.Dataset) : null,
            Arms = arms.Select(a => a.Name).ToList(),
            PromptSource = Prompts.Source,
            Prompts = Prompts.Hashes,
        };

        using var store = ResultsStore.Open(folder);
        if (RunConfiguration.TryLoad(folder) is { } earlier)
        {
            var changes = configuration.ChangesSince(earlier);
            if (changes.Settings.Count > 0)
            {
                throw new SleepTimeValidationException("out", $"Cannot continue the run in {folder}: {string.Join("; ", changes.Settings)}. Use another --out folder.");
            }

            if (changes.Content.Count > 0)
            {
                var detail = string.Join("; ", changes.Content.Append(StaleResults(dataset, store)).Where(s => s.Length > 0));
                if (!AllowChanged)
                {
                    throw new SleepTimeValidationException("out", $"Cannot continue the run in {folder}: {detail}. Its stored results were made with the old content; use another --out folder, or --allow-changed to keep them and recompute what depended on the change.");
                }

                output.WriteLine($"warning: continuing {folder} although {detail}; results that depended on changed questions or prompts are recomputed.");
            }

            // Keep arms of the earlier run in the configuration so the report covers them too.
            configuration = configuration with { Arms = earlier.Arms.Concat(configuration.Arms).Distinct(StringComparer.Ordinal).ToList(), StartedAt = earlier.StartedAt };
        }

        var plan = RunPlan.Create(dataset, arms, store, Prompts, judge?.Fingerprint);
        var estimate = RunEstimate.For(plan, O200kTokenCounter.Instance, configuration.PriceRatio);
        output.WriteLine($"{dataset.Name}: {dataset.Contexts.Count} contexts, {dataset.QuestionCount} questions, {arms.Count} arms.");
        output.WriteLine($"Sampling: sleep {configuration.SleepSampling}; test {configuration.TestSampling}. Prompts: {Prompts.Source}." + (judge is null ? string.Empty : $" Judge: {judge.ModelName} with {judge.Prompt.Source}."));
        output.WriteLine($"To do: {plan.Sleeps.Count} sleeps and {plan.Answers.Count} answers ({plan.SleepsReused} sleeps and {plan.AnswersReused} answers already stored).");
        output.WriteLine(FormattableString.Invariant($"Estimate: ~{estimate.InputTokens:N0} input and ~{estimate.OutputTokens:N0} output tokens; cost ~{estimate.CostInSleepTokens:N0} sleep-token units at t = {configuration.PriceRatio} (output lengths are assumptions)."));
        if (estimateOnly)
        {
            return null;
        }

        configuration.Save(folder);
        var runner = new BenchRunner(sleepModel, testModel, store, new BenchRunOptions
        {
            Concurrency = configuration.Concurrency,
            SleepSampling = configuration.SleepSampling,
            TestSampling = configuration.TestSampling,
            SleepVariant = Enum.Parse<SleepPromptVariant>(configuration.SleepVariant, ignoreCase: true),
            SleepMode = Enum.Parse<SleepMode>(configuration.SleepMode, ignoreCase: true),
            Prompts = Prompts,
            Judge = judge,
        });
        var run = runner.RunAsync(plan, cancellationToken);
        await ProgressDisplay.ShowAsync(runner.Counters, run, output, interactive).ConfigureAwait(false);
        return runner.Counters;
    }

    /// <summary>The contexts a configuration selects: all, or the first <c>Limit</c> after an optional seeded shuffle.</summary>
    public static BenchDataset Select(BenchDataset dataset, RunConfiguration configuration)
    {
        IEnumerable<BenchContext> contexts = dataset.Contexts;
        if (configuration.Shuffle)
        {
            var random = new Random(configuration.Seed);
            contexts = contexts.OrderBy(_ => random.Next());
        }

        if (configuration.Limit is { } limit)
        {
            contexts = contexts.Take(limit);
        }

        return dataset with { Contexts = contexts.ToList() };
    }

    /// <summary>Which stored answers no longer match the data set: their question, context or reference answer was edited, or the question is gone.</summary>
    private static string StaleResults(BenchDataset dataset, ResultsStore store)
    {
        var current = dataset.Items.ToDictionary(i => i.Question.Id, i => ItemHashes.Of(i.Context, i.Question), StringComparer.Ordinal);
        var edited = new SortedSet<string>(StringComparer.Ordinal);
        var gone = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var answer in store.Answers.Values)
        {
            if (!current.TryGetValue(answer.QuestionId, out var hash))
            {
                gone.Add(answer.QuestionId);
            }
            else if (answer.ItemHash is not null && answer.ItemHash != hash)
            {
                edited.Add(answer.QuestionId);
            }
        }

        var parts = new List<string>();
        if (edited.Count > 0)
        {
            parts.Add($"{edited.Count} stored question(s) were edited ({Sample(edited)})");
        }

        if (gone.Count > 0)
        {
            parts.Add($"{gone.Count} stored question(s) are no longer in the data set ({Sample(gone)})");
        }

        return string.Join("; ", parts);
    }

    private static string Sample(IEnumerable<string> ids)
    {
        var list = ids.Take(6).ToList();
        return string.Join(", ", list) + (ids.Count() > list.Count ? ", …" : string.Empty);
    }
}
