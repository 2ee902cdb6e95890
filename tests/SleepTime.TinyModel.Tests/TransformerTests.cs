using SleepTime.TinyModel.Training;

namespace SleepTime.TinyModel.Tests;

/// <summary>The trainer's batched forward against <see cref="ReferenceForward"/>, and its backward against finite differences.</summary>
public sealed class TransformerTests
{
    private static readonly TinyModelConfig Config = new(CharVocabulary.Instance.Count, Dimension: 16, Layers: 2, Heads: 2, KeyValueHeads: 2, FeedForward: 24, ContextLength: 32);

    [Fact]
    public void The_batched_forward_pass_equals_the_reference_forward_pass()
    {
        var weights = Weights(7, scale: 15);
        var tokens = Tokens(24, seed: 3);

        var batched = new Transformer(Config, weights).Logits(tokens);
        var reference = ReferenceForward.Logits(Config, weights, tokens);

        var v = Config.VocabularySize;
        Assert.Contains(reference.SelectMany(r => r), l => Math.Abs(l) > 1); // the weights matter
        for (var p = 0; p < tokens.Length; p++)
        {
            for (var i = 0; i < v; i++)
            {
                Assert.True(Math.Abs(reference[p][i] - batched[(p * v) + i]) < 1e-3 * (1 + Math.Abs(reference[p][i])), $"position {p}, logit {i}: reference {reference[p][i]}, batched {batched[(p * v) + i]}");
            }
        }
    }

    public static TheoryData<string> TensorNames() => [.. Config.Tensors().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TensorNames))]
    public void Every_gradient_matches_finite_differences_of_the_reference_loss(string tensor)
    {
        var weights = Weights(5, scale: 10);
        var tokens = Tokens(20, seed: 9);
        var scored = Enumerable.Range(0, tokens.Length - 1).Select(p => p >= 6).ToArray(); // a prompt, then the scored reply
        var count = scored.Count(s => s);
        var model = new Transformer(Config, weights);
        model.Backward(tokens, scored, 1f / count);
        var analytic = model.Gradients[tensor];

        var data = weights[tensor];
        var random = new Random(tensor.GetHashCode(StringComparison.Ordinal) & 0xffff);
        var indices = tensor == "token_embd.weight"
            ? tokens.Take(tokens.Length - 1).Distinct().Take(4).Select(t => (t * Config.Dimension) + random.Next(Config.Dimension)).ToArray()
            : Enumerable.Range(0, 6).Select(_ => random.Next(data.Length)).ToArray();
        var checkedNonZero = 0;
        foreach (var index in indices)
        {
            var original = data[index];
            const float step = 1e-2f;
            data[index] = original + step;
            var plus = MeanLoss(weights, tokens, scored);
            data[index] = original - step;
            var minus = MeanLoss(weights, tokens, scored);
            data[index] = original;
            var numeric = (plus - minus) / (2 * step);
            Assert.True(Math.Abs(numeric - analytic[index]) <= (0.03 * Math.Abs(numeric)) + 2e-4, $"{tensor}[{index}]: backward {analytic[index]:G6}, finite difference {numeric:G6}");
            checkedNonZero += Math.Abs(numeric) > 1e-3 ? 1 : 0;
        }

        Assert.True(checkedNonZero > 0, $"every checked gradient of {tensor} is near zero, so the check proves nothing");
    }

    [Fact]
    public void The_loss_it_returns_is_the_reference_loss()
    {
        var weights = Weights(2, scale: 10);
        var tokens = Tokens(16, seed: 4);
        var scored = Enumerable.Range(0, tokens.Length - 1).Select(p => p % 2 == 0).ToArray();

        var loss = new Transformer(Config, weights).Backward(tokens, scored, 0);

        Assert.Equal(MeanLoss(weights, tokens, scored) * scored.Count(s => s), loss, 3);
    }

    private static double MeanLoss(Dictionary<string, float[]> weights, int[] tokens, bool[] scored)
    {
        var logits = ReferenceForward.Logits(Config, weights, tokens[..^1]);
        double sum = 0;
        for (var p = 0; p < scored.Length; p++)
        {
            sum -= scored[p] ? ReferenceForward.LogProbability(logits[p], tokens[p + 1]) : 0;
        }

        return sum / scored.Count(s => s);
    }

    private static Dictionary<string, float[]> Weights(int seed, float scale)
    {
        var weights = TinyModelFile.Initialize(Config, seed);
        var random = new Random(seed);
        foreach (var (name, data) in weights)
        {
            for (var i = 0; i < data.Length; i++)
            {
                // Norm gains away from 1 too, so that their gradients are checked at a general point.
                data[i] = name.EndsWith("norm.weight", StringComparison.Ordinal) ? 0.5f + (float)random.NextDouble() : data[i] * scale;
            }
        }

        return weights;
    }

    private static int[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(5, 40))];
    }
}
