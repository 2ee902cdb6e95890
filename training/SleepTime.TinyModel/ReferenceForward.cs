namespace SleepTime.TinyModel;

/// <summary>
/// The model's forward pass in plain managed code, computed as llama.cpp computes the llama architecture: RMSNorm,
/// rotary embeddings in NORM mode (adjacent pairs, base 10,000), grouped-query causal attention, SwiGLU, untied
/// output. It is the reference the trainer's forward (and, through it, its backward) must match; a test holds it to
/// llama.cpp's own log-probabilities on random weights. Slow and simple on purpose: one sequence, no cache.
/// </summary>
public static class ReferenceForward
{
    private const double RopeBase = 10_000;

    /// <summary>The logits after each position of <paramref name="tokens"/> (row p predicts token p + 1).</summary>
    public static float[][] Logits(TinyModelConfig config, IReadOnlyDictionary<string, float[]> weights, IReadOnlyList<int> tokens)
    {
        config.Validate();
        var d = config.Dimension;
        var n = tokens.Count;
        var embedding = weights["token_embd.weight"];
        var x = new float[n][];
        for (var p = 0; p < n; p++)
        {
            x[p] = embedding.AsSpan(tokens[p] * d, d).ToArray();
        }

        for (var layer = 0; layer < config.Layers; layer++)
        {
            var block = $"blk.{layer}.";
            var attention = Attention(config, weights, block, [.. x.Select(h => RmsNorm(h, weights[block + "attn_norm.weight"]))]);
            for (var p = 0; p < n; p++)
            {
                Add(x[p], attention[p]);
            }

            for (var p = 0; p < n; p++)
            {
                var h = RmsNorm(x[p], weights[block + "ffn_norm.weight"]);
                var gate = MatVec(weights[block + "ffn_gate.weight"], h, config.FeedForward);
                var up = MatVec(weights[block + "ffn_up.weight"], h, config.FeedForward);
                for (var i = 0; i < gate.Length; i++)
                {
                    gate[i] = gate[i] / (1 + MathF.Exp(-gate[i])) * up[i];
                }

                Add(x[p], MatVec(weights[block + "ffn_down.weight"], gate, d));
            }
        }

        return [.. x.Select(h => MatVec(weights["output.weight"], RmsNorm(h, weights["output_norm.weight"]), config.VocabularySize))];
    }

    /// <summary>log softmax of <paramref name="logits"/> at <paramref name="token"/>.</summary>
    public static double LogProbability(float[] logits, int token)
    {
        double max = logits.Max();
        return logits[token] - max - Math.Log(logits.Sum(l => Math.Exp(l - max)));
    }

    private static float[][] Attention(TinyModelConfig config, IReadOnlyDictionary<string, float[]> weights, string block, float[][] h)
    {
        var n = h.Length;
        var headSize = config.HeadDimension;
        var group = config.Heads / config.KeyValueHeads;
        var q = h.Select((v, p) => Rope(MatVec(weights[block + "attn_q.weight"], v, config.Dimension), p, headSize)).ToArray();
        var k = h.Select((v, p) => Rope(MatVec(weights[block + "attn_k.weight"], v, config.KeyValueDimension), p, headSize)).ToArray();
        var v = h.Select(x => MatVec(weights[block + "attn_v.weight"], x, config.KeyValueDimension)).ToArray();
        var scale = 1 / Math.Sqrt(headSize);
        var result = new float[n][];
        for (var p = 0; p < n; p++)
        {
            var mixed = new float[config.Dimension];
            for (var head = 0; head < config.Heads; head++)
            {
                var kvHead = head / group;
                var scores = new double[p + 1];
                for (var s = 0; s <= p; s++)
                {
                    double dot = 0;
                    for (var i = 0; i < headSize; i++)
                    {
                        dot += q[p][(head * headSize) + i] * k[s][(kvHead * headSize) + i];
                    }

                    scores[s] = dot * scale;
                }

                var max = scores.Max();
                var total = scores.Sum(sc => Math.Exp(sc - max));
                for (var s = 0; s <= p; s++)
                {
                    var weight = Math.Exp(scores[s] - max) / total;
                    for (var i = 0; i < headSize; i++)
                    {
                        mixed[(head * headSize) + i] += (float)(weight * v[s][(kvHead * headSize) + i]);
                    }
                }
            }

            result[p] = MatVec(weights[block + "attn_output.weight"], mixed, config.Dimension);
        }

        return result;
    }

    /// <summary>Rotates each head's adjacent pairs (2i, 2i+1) by position × base^(−2i/head size).</summary>
    private static float[] Rope(float[] vector, int position, int headSize)
    {
        for (var start = 0; start < vector.Length; start += headSize)
        {
            for (var i = 0; i < headSize; i += 2)
            {
                var theta = position * Math.Pow(RopeBase, -(double)i / headSize);
                var (sin, cos) = Math.SinCos(theta);
                var a = vector[start + i];
                var b = vector[start + i + 1];
                vector[start + i] = (float)((a * cos) - (b * sin));
                vector[start + i + 1] = (float)((a * sin) + (b * cos));
            }
        }

        return vector;
    }

    private static float[] RmsNorm(float[] x, float[] gain)
    {
        var scale = 1 / Math.Sqrt((x.Sum(v => (double)v * v) / x.Length) + TinyModelConfig.NormEpsilon);
        return [.. x.Select((v, i) => (float)(v * scale * gain[i]))];
    }

    /// <summary>W·x for a ggml matrix of shape [x.Length, rows]: row r is W[r·x.Length .. (r+1)·x.Length).</summary>
    private static float[] MatVec(float[] matrix, float[] x, int rows)
    {
        var result = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            double sum = 0;
            var offset = r * x.Length;
            for (var i = 0; i < x.Length; i++)
            {
                sum += matrix[offset + i] * x[i];
            }

            result[r] = (float)sum;
        }

        return result;
    }

    private static void Add(float[] target, float[] values)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += values[i];
        }
    }
}
