using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;
using SleepTime.TinyModel.Training;

namespace SleepTime.TinyModel.Tests;

/// <summary>What the trainer optimises is what the local provider runs.</summary>
public sealed partial class TrainedFileTests
{
    [Fact]
    public async Task The_written_files_prompt_log_probabilities_equal_the_trainers_own_loss_on_the_same_text()
    {
        var config = TinyModelConfig.Smoke(CharVocabulary.Instance.Count);
        using var session = TrainingSession.Open(config);
        var transcript = (await session.Corpus.TranscriptsAsync(TrainingSeeds.First, 1)).First(t => t.Kind.StartsWith("baseline", StringComparison.Ordinal) && t.Reply.Contains('\n', StringComparison.Ordinal));
        var weights = TinyModelFile.Initialize(config, 3);
        foreach (var matrix in weights.Where(w => !w.Key.EndsWith("norm.weight", StringComparison.Ordinal)))
        {
            // Larger than the initialisation, so that every layer changes the result visibly.
            for (var i = 0; i < matrix.Value.Length; i++)
            {
                matrix.Value[i] *= 10;
            }
        }

        var example = session.Data.Tokenize(transcript);
        var trainerLoss = new Transformer(config, weights).Backward(example.Tokens, example.Scored, 0);

        var path = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-loss-{Guid.NewGuid():N}.gguf");
        try
        {
            TinyModelFile.Save(path, "loss", config, CharVocabulary.Instance, weights);
            using var model = LocalModel.Load(new LocalModelSettings(path, ContextSize: 1024, Threads: 1, MaxContexts: 1));
            var fromLlama = await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync(transcript.Prompt, transcript.Reply + CharVocabulary.TurnEnd);

            Assert.Equal(example.ScoredCount, fromLlama.Length);
            var uniform = -Math.Log(CharVocabulary.Instance.Count) * example.ScoredCount;
            Assert.True(Math.Abs(trainerLoss + uniform) > 5, "the weights must matter for the comparison to mean something");

            // llama.cpp keeps keys and values in f16: a few hundredths of a nat per token at most.
            Assert.True(Math.Abs(trainerLoss + fromLlama.Sum()) < 0.03 * example.ScoredCount, $"trainer {trainerLoss:0.000} nats, llama.cpp {-fromLlama.Sum():0.000} nats over {example.ScoredCount} tokens");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_smoke_run_trains_and_its_loss_falls()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "SleepTime.TinyModel.dll");
        var output = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-smoke-{Guid.NewGuid():N}.gguf");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { program, "--smoke", "--out", output })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);

            var text = await stdout;
            Assert.True(process.ExitCode == 0, text + await stderr);
            var losses = LossLine().Match(text);
            Assert.True(losses.Success, text);
            Assert.True(double.Parse(losses.Groups[2].Value, CultureInfo.InvariantCulture) < double.Parse(losses.Groups[1].Value, CultureInfo.InvariantCulture), text);
            using var model = LocalModel.Load(new LocalModelSettings(output, ContextSize: 256, Threads: 1, MaxContexts: 1));
            Assert.Equal(CharVocabulary.Instance.Count, model.VocabularySize);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [GeneratedRegex(@"loss (\d+\.\d+) -> (\d+\.\d+)")]
    private static partial Regex LossLine();
}
