using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.TinyModel.Tests;

/// <summary>The managed reference forward pass against llama.cpp on the same random weights: the trainer's ground truth.</summary>
public sealed class ReferenceForwardTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 2)] // grouped-query attention
    public async Task The_reference_forward_pass_gives_llama_cpps_log_probabilities(int heads, int keyValueHeads)
    {
        var vocabulary = CharVocabulary.Instance;
        var config = new TinyModelConfig(vocabulary.Count, Dimension: 32, Layers: 2, Heads: heads, KeyValueHeads: keyValueHeads, FeedForward: 48, ContextLength: 64);
        var weights = TinyModelFile.Initialize(config, 11);
        foreach (var matrix in weights.Where(w => !w.Key.EndsWith("norm.weight", StringComparison.Ordinal)))
        {
            // Larger than the training initialisation, so that attention and rotation change the result visibly.
            for (var i = 0; i < matrix.Value.Length; i++)
            {
                matrix.Value[i] *= 15;
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-forward-{Guid.NewGuid():N}.gguf");
        try
        {
            TinyModelFile.Save(path, "forward", config, vocabulary, weights);
            using var model = LocalModel.Load(new LocalModelSettings(path, ContextSize: 64, Threads: 1, MaxContexts: 1));
            const string text = "Tom has 3 apples; he buys 4 more.";

            var fromLlama = await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync("", text);

            var tokens = model.Tokenize(text, addStart: true);
            var logits = ReferenceForward.Logits(config, weights, tokens);
            var reference = Enumerable.Range(0, tokens.Length - 1).Select(p => ReferenceForward.LogProbability(logits[p], tokens[p + 1])).ToArray();
            // llama.cpp keeps keys and values in f16, which costs up to about 0.02 nats at these weight sizes.
            Assert.Equal(reference.Length, fromLlama.Length);
            var uniform = -Math.Log(vocabulary.Count);
            Assert.Contains(reference, r => Math.Abs(r - uniform) > 0.5); // the weights matter, so the comparison means something
            for (var i = 0; i < reference.Length; i++)
            {
                Assert.True(Math.Abs(reference[i] - fromLlama[i]) < 0.03, $"token {i}: reference {reference[i]:0.0000}, llama.cpp {fromLlama[i]:0.0000}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
