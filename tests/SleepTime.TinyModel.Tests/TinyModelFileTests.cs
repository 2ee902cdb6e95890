using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.TinyModel.Tests;

/// <summary>The GGUF the training program writes, read back by llama.cpp through the local provider (no ../shared needed).</summary>
public sealed class TinyModelFileTests : IDisposable
{
    private static readonly CharVocabulary Vocabulary = CharVocabulary.Instance;
    private static readonly TinyModelConfig Small = new(Vocabulary.Count, Dimension: 32, Layers: 2, Heads: 2, KeyValueHeads: 1, FeedForward: 64, ContextLength: 128);
    private readonly List<string> files = [];

    private string Write(IReadOnlyDictionary<string, float[]> weights, TinyModelConfig? config = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-test-{Guid.NewGuid():N}.gguf");
        files.Add(path);
        TinyModelFile.Save(path, "test", config ?? Small, Vocabulary, weights);
        return path;
    }

    private static LocalModel Load(string path) => LocalModel.Load(new LocalModelSettings(path, ContextSize: 128, Threads: 1, MaxContexts: 1));

    public void Dispose()
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void llama_cpp_reads_the_vocabulary_character_by_character()
    {
        using var model = Load(Write(TinyModelFile.Initialize(Small, 1)));

        Assert.Equal(Vocabulary.Count, model.VocabularySize);
        Assert.Equal(128, model.TrainedContextSize);
        const string text = "Tom has 3 apples.\nHow many?";
        Assert.Equal(Vocabulary.Encode(text), model.Tokenize(text, addStart: false));
        Assert.Equal([CharVocabulary.Start, .. Vocabulary.Encode(text)], model.Tokenize(text, addStart: true));
        Assert.Equal([Vocabulary.TurnStartId, .. Vocabulary.Encode("user"), Vocabulary.TurnEndId], model.Tokenize("<|im_start|>user<|im_end|>", addStart: false));
    }

    [Fact]
    public async Task The_chat_template_is_ChatML_and_usage_counts_its_characters()
    {
        using var model = Load(Write(TinyModelFile.Initialize(Small, 1)));
        using var client = new LocalChatClient(model, "tiny");

        var reply = await client.GetResponseAsync("Hi", new ChatOptions { Temperature = 0, MaxOutputTokens = 3 });

        var expected = model.Tokenize("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", addStart: true).Length;
        Assert.Equal(expected, reply.Usage!.InputTokenCount);
        Assert.Equal(1 + 1 + 5 + 2 + 1 + 1 + 1 + 10, expected); // <s>, <|im_start|>, "user\n", "Hi", <|im_end|>, "\n", <|im_start|>, "assistant\n"
    }

    [Fact]
    public async Task The_tensor_layout_means_what_the_trainer_assumes()
    {
        // With every block's matrices zero, each layer passes its input through, so the logits after token t are
        // output · rmsnorm(embedding[t]) whatever came before: computed here by hand, then by llama.cpp.
        var weights = TinyModelFile.Initialize(Small, 7);
        foreach (var (name, data) in weights.Where(w => w.Key.StartsWith("blk.", StringComparison.Ordinal)))
        {
            Array.Clear(data);
        }

        var outputNorm = weights["output_norm.weight"];
        for (var i = 0; i < outputNorm.Length; i++)
        {
            outputNorm[i] = 0.5f + (i % 3); // not all ones, so its placement is checked too
        }

        using var model = Load(Write(weights));
        const string prefix = "ab";
        const string continuation = "c!";

        var actual = await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync(prefix, continuation);

        var tokens = Vocabulary.Encode(prefix + continuation);
        var expected = new[] { Expected(weights, tokens[1], tokens[2]), Expected(weights, tokens[2], tokens[3]) };
        Assert.Equal(2, actual.Length);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-3, $"token {i}: by hand {expected[i]}, llama.cpp {actual[i]}");
        }
    }

    private static double Expected(IReadOnlyDictionary<string, float[]> weights, int current, int next)
    {
        var dimension = Small.Dimension;
        var embedding = weights["token_embd.weight"].AsSpan(current * dimension, dimension).ToArray();
        var scale = 1 / Math.Sqrt((embedding.Sum(x => (double)x * x) / dimension) + TinyModelConfig.NormEpsilon);
        var normed = embedding.Select((x, i) => x * scale * weights["output_norm.weight"][i]).ToArray();
        var output = weights["output.weight"];
        var logits = Enumerable.Range(0, Vocabulary.Count).Select(v => Enumerable.Range(0, dimension).Sum(i => output[(v * dimension) + i] * normed[i])).ToArray();
        var max = logits.Max();
        return logits[next] - max - Math.Log(logits.Sum(l => Math.Exp(l - max)));
    }

    [Fact]
    public async Task The_end_of_turn_marker_ends_generation()
    {
        // Blocks pass their input through and every embedding is the same positive vector, so the output row of
        // <|im_end|> alone scores: greedy decoding picks it first, and llama.cpp must treat it as the end of the turn.
        var weights = TinyModelFile.Initialize(Small, 3);
        foreach (var (name, data) in weights.Where(w => w.Key.StartsWith("blk.", StringComparison.Ordinal) || w.Key == "output.weight"))
        {
            Array.Clear(data);
        }

        Array.Fill(weights["token_embd.weight"], 0.1f);
        weights["output.weight"].AsSpan(Vocabulary.TurnEndId * Small.Dimension, Small.Dimension).Fill(1f);
        using var model = Load(Write(weights));
        using var client = new LocalChatClient(model, "tiny");

        var reply = await client.GetResponseAsync("Hi", new ChatOptions { Temperature = 0, MaxOutputTokens = 5 });

        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.Equal(0, reply.Usage!.OutputTokenCount);
        Assert.Equal("", reply.Text);
    }

    [Fact]
    public void The_same_seed_writes_the_same_file()
    {
        var first = Write(TinyModelFile.Initialize(Small, TrainingSeeds.Initialization));
        var second = Write(TinyModelFile.Initialize(Small, TrainingSeeds.Initialization));
        var other = Write(TinyModelFile.Initialize(Small, TrainingSeeds.Initialization + 1));

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(first)), SHA256.HashData(File.ReadAllBytes(second)));
        Assert.NotEqual(SHA256.HashData(File.ReadAllBytes(first)), SHA256.HashData(File.ReadAllBytes(other)));
    }

    [Fact]
    public void The_default_model_is_about_a_million_parameters_and_fits_the_size_limit()
    {
        var config = TinyModelConfig.Default(Vocabulary.Count);

        Assert.InRange(config.ParameterCount, 700_000, 1_200_000);
        Assert.True(config.ParameterCount * sizeof(float) < 20 * 1024 * 1024);
    }

    [Fact]
    public void Missing_weights_or_a_vocabulary_mismatch_are_refused()
    {
        var weights = TinyModelFile.Initialize(Small, 1);
        weights.Remove("output.weight");

        Assert.Contains("output.weight", Assert.Throws<ArgumentException>(() => Write(weights)).Message);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => Write(TinyModelFile.Initialize(Small with { VocabularySize = 50 }, 1), Small with { VocabularySize = 50 })).Message);
    }
}

/// <summary>A checkpoint reads back as the weights that were written, so a second training stage resumes from it exactly.</summary>
public sealed class GgufReaderTests
{
    [Fact]
    public void A_written_model_reads_back_bit_for_bit()
    {
        var config = TinyModelConfig.Smoke(CharVocabulary.Instance.Count);
        var weights = TinyModelFile.Initialize(config, 17);
        var path = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-read-{Guid.NewGuid():N}.gguf");
        try
        {
            TinyModelFile.Save(path, "read", config, CharVocabulary.Instance, weights);

            var read = GgufReader.ReadTensors(path);

            Assert.Equal(weights.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
            Assert.All(weights, w => Assert.Equal(w.Value, read[w.Key]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
