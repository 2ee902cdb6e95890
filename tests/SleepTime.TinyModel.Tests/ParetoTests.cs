using System.Globalization;
using SleepTime.Bench.Generation;
using SleepTime.Bench.Metrics;
using SleepTime.Bench.Provenance;
using SleepTime.Bench.Reports;
using SleepTime.Bench.Running;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Embedded;
using Xunit.Abstractions;

namespace SleepTime.TinyModel.Tests;

/// <summary>
/// The paper's claim on the committed sleeptime-tiny, measured by the bench (the library <c>sleeptime bench run</c>
/// calls) on held-out generated problems with greedy decoding: sleep-time compute reaches the baseline's best
/// accuracy with at most a third of its test-time tokens.
/// </summary>
/// <remarks>
/// The claim is measured as the paper measures it, on questions the context alone answers (Stateful GSM-Symbolic's
/// question is a problem's last sentence, and mostly asks for a quantity the context determines;
/// <see cref="WordProblemTemplates.FromContextOnly"/>). A question that brings a number of its own must be worked at
/// test time whatever the sleep wrote; on the generator's mixed questions even the corpus's own replies need
/// 0.34-0.37 of the baseline's tokens (docs/BENCHMARKS.md), and what the model does there is asserted by
/// <see cref="Where_the_sleep_wrote_the_answer_sleep_time_reads_it_at_verbosity_0_for_a_third_of_the_baselines_tokens"/>.
/// </remarks>
public sealed class ParetoTests(ITestOutputHelper output)
{
    /// <summary>A seed below the training seeds: these problems were never trained on.</summary>
    public const int HeldOutSeed = 7;

    public static readonly string[] Arms =
    [
        "baseline:v=0", "baseline:v=1", "baseline:v=2", "baseline:v=3", "baseline:v=4",
        "sleep:k=1,v=0", "sleep:k=1,v=1", "sleep:k=1,v=2",
    ];

    [Fact]
    public async Task Sleep_time_reaches_the_baselines_best_accuracy_with_at_most_a_third_of_its_test_time_tokens()
    {
        Assert.False(TrainingSeeds.IsTraining(HeldOutSeed));
        var file = EmbeddedModel.FindFile();
        Assert.True(file is not null, $"{EmbeddedModel.RelativePath} is committed and shipped to the output folder");
        // Two contexts per template, every question each context alone answers (a template has two or three).
        var problems = new WordProblemGenerator(WordProblemTemplates.FromContextOnly).Generate(HeldOutSeed, 2 * WordProblemTemplates.All.Count, 10, 10).ToList();
        var questions = problems.Sum(c => c.Questions.Count);
        var summary = await MeasureAsync(file!, problems);

        var baselines = summary.Arms.Where(a => a.Kind == nameof(ArmKind.Baseline)).ToList();
        var sleepTime = summary.Arms.Where(a => a.Kind == nameof(ArmKind.SleepTime)).ToList();
        foreach (var arm in summary.Arms)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{arm.Name}: accuracy {arm.AccuracyPaper:0.000} over {arm.Questions} questions, {arm.AvgTestOutputTokens:0.0} test-time tokens"));
        }

        Assert.Equal(5, baselines.Count);
        Assert.Equal(3, sleepTime.Count);
        Assert.True(questions >= 70, $"{questions} questions");
        Assert.All(summary.Arms, a => Assert.Equal(questions, a.Questions));

        // The best baseline: highest accuracy, the fewest tokens among ties (the strictest reference).
        var best = baselines.OrderByDescending(a => a.AccuracyPaper).ThenBy(a => a.AvgTestOutputTokens).First();
        Assert.True(best.AccuracyPaper > 0.3, $"the baseline must answer a fair share of questions for the comparison to mean anything; best {best.Name} {best.AccuracyPaper:0.000}");
        Assert.True(best.AvgTestOutputTokens > 2 * baselines.Min(a => a.AvgTestOutputTokens), $"the baseline's best ({best.Name}) must work its steps out, not answer at the smallest budget");
        Assert.Contains(sleepTime, s => s.AccuracyPaper >= best.AccuracyPaper && s.AvgTestOutputTokens * 3 <= best.AvgTestOutputTokens);
    }

    [Fact]
    public async Task The_committed_model_sleeps_and_answers_in_the_form_it_was_trained_on()
    {
        var file = EmbeddedModel.FindFile();
        Assert.True(file is not null, $"{EmbeddedModel.RelativePath} is committed and shipped to the output folder");
        List<System.Text.Json.JsonElement> records = [];

        var summary = await MeasureAsync(file!, new WordProblemGenerator().Generate(HeldOutSeed, 6, 1, 1), ["baseline:v=0", "baseline:v=4", "sleep:k=1,v=0"], folder =>
            records = [.. File.ReadAllLines(Path.Combine(folder, "results.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)]);

        var sleeps = records.Where(r => r.GetProperty("type").GetString() == "sleep").ToList();
        var answers = records.Where(r => r.GetProperty("type").GetString() == "answer").ToList();
        Assert.Equal(6, sleeps.Count);
        Assert.Equal(18, answers.Count);
        Assert.All(sleeps, s => Assert.True(s.GetProperty("succeeded").GetBoolean()));

        // A learned context is lines of "description: [source] a op [source] b = value"; an answer ends with its final sentence.
        Assert.All(sleeps, s => Assert.Matches(@"^[A-Z][^\n:]*: [^\n=]+ = \d+", s.GetProperty("blocks")[0].GetProperty("value").GetString()));
        Assert.All(answers, a => Assert.Matches(@"The answer is (\[[^\]]+\] )?\d+\.$", a.GetProperty("reply").GetString()));
        Assert.All(answers.Where(a => a.GetProperty("arm").GetString() == "baseline:v=0"), a => Assert.StartsWith("The answer is ", a.GetProperty("reply").GetString(), StringComparison.Ordinal));
        Assert.All(answers.Where(a => a.GetProperty("arm").GetString() == "baseline:v=4"), a => Assert.Contains(" = ", a.GetProperty("reply").GetString(), StringComparison.Ordinal));
        var shortest = summary.Arms.Single(a => a.Name == "baseline:v=0").AvgTestOutputTokens;
        Assert.True(summary.Arms.Single(a => a.Name == "baseline:v=4").AvgTestOutputTokens > 2 * shortest, "verbosity 4 writes its steps out");
    }

    /// <summary>
    /// The mechanism on the committed model, question by question: where its sleep wrote the quantity a question asks
    /// for, sleep-time answers at verbosity 0 by reading it, with at most a third of the tokens the baseline spends
    /// working it out at verbosity 4, while the baseline at verbosity 0 (no learned context, no steps) cannot.
    /// </summary>
    [Fact]
    public async Task Where_the_sleep_wrote_the_answer_sleep_time_reads_it_at_verbosity_0_for_a_third_of_the_baselines_tokens()
    {
        var file = EmbeddedModel.FindFile();
        Assert.True(file is not null, $"{EmbeddedModel.RelativePath} is committed and shipped to the output folder");
        var problems = new WordProblemGenerator().Generate(HeldOutSeed, 18, 2, 2).ToList();
        List<System.Text.Json.JsonElement> records = [];
        await MeasureAsync(file!, problems, ["baseline:v=0", "baseline:v=4", "sleep:k=1,v=0"], folder =>
            records = [.. File.ReadAllLines(Path.Combine(folder, "results.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone())]);

        var learned = records.Where(r => r.GetProperty("type").GetString() == "sleep" && r.GetProperty("succeeded").GetBoolean())
            .ToDictionary(r => r.GetProperty("context_id").GetString()!, r => r.GetProperty("blocks")[0].GetProperty("value").GetString()!);
        var replies = records.Where(r => r.GetProperty("type").GetString() == "answer")
            .ToDictionary(r => (r.GetProperty("question_id").GetString()!, r.GetProperty("arm").GetString()!), r => (Reply: r.GetProperty("reply").GetString()!, Tokens: r.GetProperty("usage").GetProperty("output").GetInt64()));
        var held = problems.SelectMany(c => c.Questions.Select(q => (Context: c, Question: q)))
            .Where(p => p.Question.Steps[^1].FromContextOnly && learned.TryGetValue(p.Context.Id, out var text)
                && text.Split('\n').Any(l => l.StartsWith(p.Question.Steps[^1].Description + ":", StringComparison.Ordinal) && l.EndsWith($"= {p.Question.Answer}", StringComparison.Ordinal)))
            .ToList();
        string Last(string reply) => System.Text.RegularExpressions.Regex.Matches(reply, @"\d+").LastOrDefault()?.Value ?? "";
        var read = held.Count(p => Last(replies[(p.Question.Id, "sleep:k=1,v=0")].Reply) == p.Question.Answer.ToString(CultureInfo.InvariantCulture));
        var guessed = held.Count(p => Last(replies[(p.Question.Id, "baseline:v=0")].Reply) == p.Question.Answer.ToString(CultureInfo.InvariantCulture));
        var sleepTokens = held.Average(p => (double)replies[(p.Question.Id, "sleep:k=1,v=0")].Tokens);
        var baselineTokens = held.Average(p => (double)replies[(p.Question.Id, "baseline:v=4")].Tokens);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{held.Count} questions whose answer the sleep wrote: sleep-time v=0 read {read}, baseline v=0 got {guessed}; {sleepTokens:0.0} vs {baselineTokens:0.0} (baseline v=4) output tokens"));

        Assert.True(held.Count >= 6, $"the sleeps wrote the answer of only {held.Count} questions: too few to measure reading");
        Assert.True(read >= 0.9 * held.Count, $"sleep-time read {read} of {held.Count} answers its learned context held");
        Assert.True(guessed <= held.Count / 2, $"the baseline got {guessed} of {held.Count} right at verbosity 0, with no learned context and no steps");
        Assert.True(sleepTokens * 3 <= baselineTokens, $"sleep-time {sleepTokens:0.0} output tokens, baseline at verbosity 4 {baselineTokens:0.0}");
    }

    /// <summary>Runs the bench as <c>sleeptime bench run</c> does on the embedded model: compact prompts, plain-text sleep, temperature 0.</summary>
    public static async Task<BenchSummary> MeasureAsync(string modelFile, IEnumerable<GeneratedContext> problems, string[]? arms = null, Action<string>? inspect = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-pareto-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var dataset = Path.Combine(folder, "held-out.jsonl");
            WordProblemGenerator.WriteJsonl(dataset, problems);
            var defaults = EmbeddedModel.Defaults(modelFile);
            using var client = LocalModels.Shared.CreateChatClient(defaults.Endpoint, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            var session = new BenchSession(client, client, TextWriter.Null)
            {
                Prompts = new PromptSet(defaults.Prompts, $"{PromptSet.BuiltIn}:{PromptLibrary.CompactVariant}"),
            };
            var configuration = new RunConfiguration
            {
                Dataset = dataset,
                DatasetKind = "unknown",
                Arms = arms ?? Arms,
                Concurrency = 2,
                SleepModel = EmbeddedModel.Name,
                TestModel = EmbeddedModel.Name,
                SleepVariant = defaults.SleepOptions.Variant.ToString(),
                SleepMode = defaults.SleepOptions.Mode.ToString(),
                SleepTemperature = 0,
                TestTemperature = 0,
            };
            var results = Path.Combine(folder, "results");
            var counters = await session.RunAsync(configuration, results, interactive: false);
            Assert.NotNull(counters);
            inspect?.Invoke(results);
            return ReportWriter.Write(results);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
