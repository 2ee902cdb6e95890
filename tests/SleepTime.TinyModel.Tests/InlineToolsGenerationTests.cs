using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Embedded;
using SleepTime.Providers.Local.InlineTools;

namespace SleepTime.TinyModel.Tests;

/// <summary>
/// The inline tools in a real generation: sleeptime-tiny, greedy, on the sleep prompts of held-out problems. The
/// model writes each step's references and expression; with the tools on, the number after each reference is the
/// lookup's and the result after each <c>=</c> the calculator's, in the model's context as well as in the reply,
/// and both are counted.
/// </summary>
public sealed partial class InlineToolsGenerationTests
{
    [Fact]
    public async Task With_the_tools_every_looked_up_number_and_every_result_is_exact_and_the_calls_are_counted()
    {
        var (model, sleeps) = await HeldOutSleepsAsync();
        using var tooled = new LocalChatClient(model, EmbeddedModel.Name, InlineToolSet.Calculator | InlineToolSet.Lookup);
        using var plain = new LocalChatClient(model, EmbeddedModel.Name);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 400 };
        var ownWrong = 0;
        foreach (var sleep in sleeps)
        {
            var response = await tooled.GetResponseAsync(sleep.Messages, options);
            var text = response.Text;
            var steps = Steps().Matches(text).ToList();
            Assert.NotEmpty(steps);
            Assert.All(steps, s => Assert.Equal(InlineCalculator.Evaluate(InlineLookup.WithoutReferences(s.Groups["expression"].Value)), decimal.Parse(s.Groups["value"].Value, CultureInfo.InvariantCulture)));
            var lookups = References().Matches(text).Where(r => InlineLookup.Resolve(r.Groups["phrase"].Value, sleep.Prompt + text[..r.Index]) is not null).ToList();
            Assert.All(lookups, r => Assert.Equal(InlineLookup.Resolve(r.Groups["phrase"].Value, sleep.Prompt + text[..r.Index]), r.Groups["number"].Value));
            Assert.Equal(steps.Count, response.Usage!.AdditionalCounts!["calculator_calls"]);
            Assert.Equal(lookups.Count, response.Usage.AdditionalCounts["lookup_calls"]);
            Assert.Equal(model.Tokenize(text, addStart: false).Length, response.Usage.OutputTokenCount);

            // Streaming writes the same text and reports the same usage.
            var streamed = new StringBuilder();
            UsageDetails? streamedUsage = null;
            await foreach (var update in tooled.GetStreamingResponseAsync(sleep.Messages, options))
            {
                streamed.Append(update.Text);
                streamedUsage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? streamedUsage;
            }

            Assert.Equal(text, streamed.ToString());
            Assert.Equal(steps.Count, streamedUsage!.AdditionalCounts!["calculator_calls"]);

            var own = await plain.GetResponseAsync(sleep.Messages, options);
            Assert.Null(own.Usage!.AdditionalCounts);
            ownWrong += Steps().Matches(own.Text).Count(s => InlineCalculator.Evaluate(InlineLookup.WithoutReferences(s.Groups["expression"].Value))?.ToString(CultureInfo.InvariantCulture) != s.Groups["value"].Value);
        }

        // Without them the model's own numbers show: the ones above are the tools', not the model's.
        Assert.True(ownWrong > 0, "the model alone wrote every result right, so this test cannot tell the tools' numbers from its own");
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

    [GeneratedRegex(@": (?<expression>[^\n=]+) = (?<value>-?[0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex Steps();

    [GeneratedRegex(@"\[(?<phrase>[^\]\n]*)\] ?(?<number>-?\d+(?:\.\d+)?)?")]
    private static partial Regex References();
}
