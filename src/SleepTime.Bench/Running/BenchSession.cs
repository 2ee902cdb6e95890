using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Running;

/// <summary>
/// One <c>bench run</c>: loads the data set, checks the output folder against an earlier run, saves the
/// configuration, plans only the missing work, estimates it, and runs it with a progress display.
/// </summary>
public sealed class BenchSession(IChatClient sleepModel, IChatClient testModel, TextWriter output)
{
    public async Task<RunCounters?> RunAsync(RunConfiguration configuration, string folder, bool estimateOnly = false, bool? interactive = null, CancellationToken cancellationToken = default)
    {
        var arms = Arm.ParseList(configuration.Arms);
        var dataset = Select(StatefulDatasetReader.Read(configuration.Dataset), configuration);
        configuration = configuration with { DatasetKind = dataset.Kind.ToString().ToLowerInvariant(), Arms = arms.Select(a => a.Name).ToList() };

        if (RunConfiguration.TryLoad(folder) is { } earlier)
        {
            if (configuration.ConflictWith(earlier) is { } conflict)
            {
                throw new SleepTimeValidationException("out", $"Cannot continue the run in {folder}: {conflict}. Use another --out folder.");
            }

            // Keep arms of the earlier run in the configuration so the report covers them too.
            configuration = configuration with { Arms = earlier.Arms.Concat(configuration.Arms).Distinct(StringComparer.Ordinal).ToList(), StartedAt = earlier.StartedAt };
        }

        using var store = ResultsStore.Open(folder);
        var plan = RunPlan.Create(dataset, arms, store);
        var estimate = RunEstimate.For(plan, O200kTokenCounter.Instance, configuration.PriceRatio);
        output.WriteLine($"{dataset.Name}: {dataset.Contexts.Count} contexts, {dataset.QuestionCount} questions, {arms.Count} arms.");
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
            Seed = configuration.Seed,
            SleepVariant = Enum.Parse<SleepPromptVariant>(configuration.SleepVariant, ignoreCase: true),
            SleepMode = Enum.Parse<SleepMode>(configuration.SleepMode, ignoreCase: true),
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
}
