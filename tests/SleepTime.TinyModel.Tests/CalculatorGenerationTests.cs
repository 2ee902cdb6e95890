using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Calculator;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.TinyModel.Tests;

/// <summary>
/// The calculator in a real generation: sleeptime-tiny, greedy, on the sleep prompts of held-out problems. The model
/// writes each step's expression and its <c>=</c>; with the calculator on, what follows is the exact result, in the
/// model's context as well as in the reply, and counted.
/// </summary>
public sealed partial class CalculatorGenerationTests
{
    [Fact]
    public async Task With_the_calculator_every_step_the_model_writes_has_its_exact_result_and_the_calls_are_counted()
    {
        var (model, sleeps) = await HeldOutSleepsAsync();
        using var calculating = new LocalChatClient(model, EmbeddedModel.Name, calculator: true);
        using var plain = new LocalChatClient(model, EmbeddedModel.Name);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 300 };
        var ownArithmeticWrong = 0;
        foreach (var sleep in sleeps)
        {
            var response = await calculating.GetResponseAsync(sleep.Messages, options);
            var steps = Steps().Matches(response.Text).ToList();
            Assert.NotEmpty(steps);
            Assert.All(steps, s => Assert.Equal(InlineCalculator.Evaluate(s.Groups["expression"].Value), decimal.Parse(s.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(steps.Count, response.Usage!.AdditionalCounts!["calculator_calls"]);
            Assert.Equal(model.Tokenize(response.Text, addStart: false).Length, response.Usage.OutputTokenCount);

            // Streaming writes the same text and reports the same usage.
            var streamed = new StringBuilder();
            UsageDetails? streamedUsage = null;
            await foreach (var update in calculating.GetStreamingResponseAsync(sleep.Messages, options))
            {
                streamed.Append(update.Text);
                streamedUsage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? streamedUsage;
            }

            Assert.Equal(response.Text, streamed.ToString());
            Assert.Equal(steps.Count, streamedUsage!.AdditionalCounts!["calculator_calls"]);

            var own = await plain.GetResponseAsync(sleep.Messages, options);
            Assert.Null(own.Usage!.AdditionalCounts);
            ownArithmeticWrong += Steps().Matches(own.Text).Count(s => InlineCalculator.Evaluate(s.Groups["expression"].Value)?.ToString(System.Globalization.CultureInfo.InvariantCulture) != s.Groups["value"].Value);
        }

        // Without it the model's own arithmetic shows: the results above are the calculator's, not the model's.
        Assert.True(ownArithmeticWrong > 0, "the model alone wrote every result right, so this test cannot tell the calculator's results from its own");
    }

    private static async Task<(LocalModel Model, List<Transcript> Sleeps)> HeldOutSleepsAsync()
    {
        var file = EmbeddedModel.FindFile();
        Assert.True(file is not null, $"{EmbeddedModel.RelativePath} is committed and shipped to the output folder");
        var model = LocalModels.Shared.Get(new LocalModelSettings(file!, Threads: 1, MaxContexts: 1));
        using var session = Training.TrainingSession.Open(TinyModelConfig.Default(CharVocabulary.Instance.Count));
        var transcripts = await session.Corpus.HeldOutTranscriptsAsync(ParetoTests.HeldOutSeed, 4);
        return (model, [.. transcripts.Where(t => t.Kind == "sleep")]);
    }

    [GeneratedRegex(@": (?<expression>[0-9 ()+\-*/.]+) = (?<value>-?[0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex Steps();
}
