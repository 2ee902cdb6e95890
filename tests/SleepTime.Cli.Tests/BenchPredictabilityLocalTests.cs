using SleepTime.Bench.Datasets;
using SleepTime.Bench.Predictability;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;
using SleepTime.Testing.Conditions;

namespace SleepTime.Cli.Tests;

/// <summary><c>bench predictability --provider local</c>: log P(question | context) from a GGUF file, no echo server.</summary>
public sealed class BenchPredictabilityLocalTests : IDisposable
{
    public const string ToyModel = "models/stories260K/stories260K.gguf";
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"sleeptime-predictability-{Guid.NewGuid():N}");

    public BenchPredictabilityLocalTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [ToyModelFact]
    public async Task Predictability_is_scored_in_process_from_a_gguf_file_as_log_p_of_the_question_after_the_context()
    {
        var modelFile = RepositoryPaths.TryShared(ToyModel)!;

        var dataset = Path.Combine(folder, "gen.jsonl");
        var results = Path.Combine(folder, "run");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "5", "--contexts", "2", "--min-questions", "2", "--max-questions", "2"]));
        Assert.Equal(0, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", results, "--fake", "--no-report"]));

        var exit = await CliApp.RunAsync(["bench", "predictability", results, "--provider", "local", "--model", modelFile, "--context-size", "1024", "--concurrency", "1"]);

        Assert.Equal(0, exit);
        var scores = PredictabilityFile.Read(Path.Combine(results, PredictabilityFile.FileName));
        var questions = BenchDatasets.Read(dataset).Contexts.SelectMany(c => c.Questions.Select(q => (Context: c, Question: q))).ToList();
        Assert.Equal(questions.Count, scores.Count);

        // stories260K was trained on 128 tokens, so these log-probabilities are poor; what is tested is the mechanics:
        // the same numbers as the provider's own scoring of "context\nquestion", question tokens only.
        var model = LocalModels.Shared.Get(new LocalModelSettings(Path.GetFullPath(modelFile), ContextSize: 1024, Threads: 1));
        foreach (var (context, question) in questions)
        {
            var expected = (await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync(context.Text + "\n", question.Text)).Sum();
            Assert.True(scores[question.Id] < 0);
            Assert.Equal(expected, scores[question.Id], 3);
        }
    }

    [Fact]
    public async Task A_local_scorer_without_a_model_file_is_refused_before_anything_loads()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        var results = Path.Combine(folder, "run");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "5", "--contexts", "1", "--min-questions", "1", "--max-questions", "1"]));
        Assert.Equal(0, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", results, "--fake", "--no-report"]));

        var exit = await CliApp.RunAsync(["bench", "predictability", results, "--provider", "local", "--model", Path.Combine(folder, "missing.gguf")]);

        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(Path.Combine(results, PredictabilityFile.FileName)));
    }
}

/// <summary>A <c>[Fact]</c> on the real toy model, skipped with the reason where <c>../shared</c> lacks it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToyModelFactAttribute : FactAttribute
{
    public ToyModelFactAttribute()
    {
        if (RepositoryPaths.TryShared(BenchPredictabilityLocalTests.ToyModel) is null)
        {
            Skip = $"needs the toy model ../shared/{BenchPredictabilityLocalTests.ToyModel} beside the repository (absent in a fresh clone)";
        }
    }
}
