using System.Numerics.Tensors;

namespace SleepTime.TinyModel.Training;

/// <summary>
/// The model's forward pass over a whole sequence at once (as matrices of positions), and its hand-written backward:
/// embedding, RMSNorm, NORM-mode rotary, causal attention, SwiGLU, output, cross-entropy. It computes what
/// <see cref="ReferenceForward"/> computes (a test holds them equal) and the exact gradient of the loss (a test holds
/// it to finite differences). fp32, single-threaded, fixed order: the same input gives the same bits.
/// </summary>
public sealed class Transformer
{
    private const double RopeBase = 10_000;
    private readonly TinyModelConfig config;
    private readonly float[] cos;
    private readonly float[] sin;

    public Transformer(TinyModelConfig config, Dictionary<string, float[]> weights)
    {
        config.Validate();
        if (config.KeyValueHeads != config.Heads)
        {
            throw new ArgumentException("The trainer supports full multi-head attention only (key/value heads = heads).", nameof(config));
        }

        this.config = config;
        Weights = weights;
        Gradients = config.Tensors().ToDictionary(t => t.Name, t => new float[weights[t.Name].Length], StringComparer.Ordinal);
        var half = config.HeadDimension / 2;
        cos = new float[config.ContextLength * half];
        sin = new float[config.ContextLength * half];
        for (var p = 0; p < config.ContextLength; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var theta = p * Math.Pow(RopeBase, -(double)(2 * i) / config.HeadDimension);
                cos[(p * half) + i] = (float)Math.Cos(theta);
                sin[(p * half) + i] = (float)Math.Sin(theta);
            }
        }
    }

    public TinyModelConfig Config => config;

    /// <summary>A model on the same weights with its own gradients (one per training thread).</summary>
    public Transformer Replica() => new(config, Weights);

    public Dictionary<string, float[]> Weights { get; }

    /// <summary>dL/dW accumulated by <see cref="Backward"/> since the last <see cref="ZeroGradients"/>.</summary>
    public Dictionary<string, float[]> Gradients { get; }

    public void ZeroGradients()
    {
        foreach (var g in Gradients.Values)
        {
            System.Array.Clear(g);
        }
    }

    /// <summary>The logits after each position (row p predicts token p + 1), as [positions, vocabulary].</summary>
    public float[] Logits(IReadOnlyList<int> tokens) => Forward(tokens).Logits;

    /// <summary>
    /// Cross-entropy of the tokens after each position where <paramref name="scored"/> is true (position p scores
    /// token p + 1), summed in nats; adds <paramref name="gradientScale"/> × its gradient to <see cref="Gradients"/>.
    /// Each scored position's own loss goes into <paramref name="positionLosses"/> when given.
    /// </summary>
    public double Backward(IReadOnlyList<int> tokens, IReadOnlyList<bool> scored, float gradientScale, double[]? positionLosses = null)
    {
        var n = tokens.Count - 1;
        var input = tokens.Take(n).ToArray();
        var cache = Forward(input);
        var v = config.VocabularySize;
        var d = config.Dimension;
        var dLogits = new float[n * v];
        double loss = 0;
        for (var p = 0; p < n; p++)
        {
            if (!scored[p])
            {
                continue;
            }

            var row = cache.Logits.AsSpan(p * v, v);
            var dRow = dLogits.AsSpan(p * v, v);
            var max = TensorPrimitives.Max(row);
            double total = 0;
            for (var i = 0; i < v; i++)
            {
                total += Math.Exp(row[i] - max);
            }

            var target = tokens[p + 1];
            var positionLoss = -(row[target] - max - Math.Log(total));
            loss += positionLoss;
            if (positionLosses is not null)
            {
                positionLosses[p] = positionLoss;
            }

            for (var i = 0; i < v; i++)
            {
                dRow[i] = (float)(Math.Exp(row[i] - max) / total) * gradientScale;
            }

            dRow[target] -= gradientScale;
        }

        var dHidden = new float[n * d];
        Linear.Backward(cache.FinalNormed, Weights["output.weight"], dLogits, dHidden, Gradients["output.weight"], n, d, v);
        var dx = new float[n * d];
        RmsNormBackward(cache.FinalInput, cache.FinalScale, Weights["output_norm.weight"], dHidden, dx, Gradients["output_norm.weight"], n);

        for (var layer = config.Layers - 1; layer >= 0; layer--)
        {
            dx = LayerBackward(layer, cache.Layers[layer], dx, n);
        }

        var embedding = Gradients["token_embd.weight"];
        for (var p = 0; p < n; p++)
        {
            var target = embedding.AsSpan(input[p] * d, d);
            TensorPrimitives.Add(target, dx.AsSpan(p * d, d), target);
        }

        return loss;
    }

    private ForwardCache Forward(IReadOnlyList<int> tokens)
    {
        var n = tokens.Count;
        if (n < 1 || n > config.ContextLength)
        {
            throw new ArgumentException($"A sequence must hold 1 to {config.ContextLength} tokens, not {n}.", nameof(tokens));
        }

        var d = config.Dimension;
        var x = new float[n * d];
        var embedding = Weights["token_embd.weight"];
        for (var p = 0; p < n; p++)
        {
            embedding.AsSpan(tokens[p] * d, d).CopyTo(x.AsSpan(p * d, d));
        }

        var layers = new LayerCache[config.Layers];
        for (var layer = 0; layer < config.Layers; layer++)
        {
            layers[layer] = LayerForward(layer, x, n);
            x = layers[layer].Output;
        }

        var finalScale = new float[n];
        var normed = new float[n * d];
        RmsNorm(x, Weights["output_norm.weight"], normed, finalScale, n);
        var logits = new float[n * config.VocabularySize];
        Linear.Forward(normed, Weights["output.weight"], logits, n, d, config.VocabularySize);
        return new ForwardCache(layers, x, finalScale, normed, logits);
    }

    private LayerCache LayerForward(int layer, float[] input, int n)
    {
        var d = config.Dimension;
        var f = config.FeedForward;
        var block = $"blk.{layer}.";
        var c = new LayerCache(input, n, d, f, config.Heads);
        RmsNorm(input, Weights[block + "attn_norm.weight"], c.AttentionNormed, c.AttentionScale, n);
        Linear.Forward(c.AttentionNormed, Weights[block + "attn_q.weight"], c.Q, n, d, d);
        Linear.Forward(c.AttentionNormed, Weights[block + "attn_k.weight"], c.K, n, d, d);
        Linear.Forward(c.AttentionNormed, Weights[block + "attn_v.weight"], c.V, n, d, d);
        Rope(c.Q, n, inverse: false);
        Rope(c.K, n, inverse: false);
        AttentionForward(c, n);
        Linear.Forward(c.Mixed, Weights[block + "attn_output.weight"], c.Middle, n, d, d);
        TensorPrimitives.Add(c.Middle, input, c.Middle);

        RmsNorm(c.Middle, Weights[block + "ffn_norm.weight"], c.FeedForwardNormed, c.FeedForwardScale, n);
        Linear.Forward(c.FeedForwardNormed, Weights[block + "ffn_gate.weight"], c.Gate, n, d, f);
        Linear.Forward(c.FeedForwardNormed, Weights[block + "ffn_up.weight"], c.Up, n, d, f);
        for (var i = 0; i < c.Gate.Length; i++)
        {
            var g = c.Gate[i];
            c.Activated[i] = g / (1 + MathF.Exp(-g)) * c.Up[i];
        }

        Linear.Forward(c.Activated, Weights[block + "ffn_down.weight"], c.Output, n, f, d);
        TensorPrimitives.Add(c.Output, c.Middle, c.Output);
        return c;
    }

    private float[] LayerBackward(int layer, LayerCache c, float[] dOutput, int n)
    {
        var d = config.Dimension;
        var f = config.FeedForward;
        var block = $"blk.{layer}.";

        // Feed-forward: Output = Middle + down(silu(gate) * up).
        var dActivated = new float[n * f];
        var dNormed = new float[n * d];
        Linear.Backward(c.Activated, Weights[block + "ffn_down.weight"], dOutput, dActivated, Gradients[block + "ffn_down.weight"], n, f, d);
        var dGate = new float[n * f];
        var dUp = new float[n * f];
        for (var i = 0; i < dActivated.Length; i++)
        {
            var g = c.Gate[i];
            var sigmoid = 1 / (1 + MathF.Exp(-g));
            var silu = g * sigmoid;
            dUp[i] = dActivated[i] * silu;
            dGate[i] = dActivated[i] * c.Up[i] * sigmoid * (1 + (g * (1 - sigmoid)));
        }

        Linear.Backward(c.FeedForwardNormed, Weights[block + "ffn_gate.weight"], dGate, dNormed, Gradients[block + "ffn_gate.weight"], n, d, f);
        Linear.Backward(c.FeedForwardNormed, Weights[block + "ffn_up.weight"], dUp, dNormed, Gradients[block + "ffn_up.weight"], n, d, f);
        var dMiddle = (float[])dOutput.Clone();
        RmsNormBackward(c.Middle, c.FeedForwardScale, Weights[block + "ffn_norm.weight"], dNormed, dMiddle, Gradients[block + "ffn_norm.weight"], n);

        // Attention: Middle = Input + output(attention(rope(q), rope(k), v)).
        var dMixed = new float[n * d];
        Linear.Backward(c.Mixed, Weights[block + "attn_output.weight"], dMiddle, dMixed, Gradients[block + "attn_output.weight"], n, d, d);
        var dQ = new float[n * d];
        var dK = new float[n * d];
        var dV = new float[n * d];
        AttentionBackward(c, dMixed, dQ, dK, dV, n);
        Rope(dQ, n, inverse: true);
        Rope(dK, n, inverse: true);
        var dAttentionNormed = new float[n * d];
        Linear.Backward(c.AttentionNormed, Weights[block + "attn_q.weight"], dQ, dAttentionNormed, Gradients[block + "attn_q.weight"], n, d, d);
        Linear.Backward(c.AttentionNormed, Weights[block + "attn_k.weight"], dK, dAttentionNormed, Gradients[block + "attn_k.weight"], n, d, d);
        Linear.Backward(c.AttentionNormed, Weights[block + "attn_v.weight"], dV, dAttentionNormed, Gradients[block + "attn_v.weight"], n, d, d);
        var dInput = dMiddle;
        RmsNormBackward(c.Input, c.AttentionScale, Weights[block + "attn_norm.weight"], dAttentionNormed, dInput, Gradients[block + "attn_norm.weight"], n);
        return dInput;
    }

    private void AttentionForward(LayerCache c, int n)
    {
        var d = config.Dimension;
        var hs = config.HeadDimension;
        var scale = (float)(1 / Math.Sqrt(hs));
        var keys = new float[hs * n];
        var values = new float[hs * n];
        for (var head = 0; head < config.Heads; head++)
        {
            // Keys and values transposed per head ([head dimension, positions]), so each position's scores and mix are long vector operations.
            Transpose(c.K, keys, head, n);
            Transpose(c.V, values, head, n);
            var probabilities = c.Probabilities[head];
            for (var p = 0; p < n; p++)
            {
                var row = probabilities.AsSpan(p * n, p + 1);
                row.Clear();
                for (var i = 0; i < hs; i++)
                {
                    TensorPrimitives.MultiplyAdd(keys.AsSpan(i * n, p + 1), c.Q[(p * d) + (head * hs) + i] * scale, row, row);
                }

                TensorPrimitives.SoftMax(row, row);
                for (var i = 0; i < hs; i++)
                {
                    c.Mixed[(p * d) + (head * hs) + i] = TensorPrimitives.Dot(row, values.AsSpan(i * n, p + 1));
                }
            }
        }
    }

    private void AttentionBackward(LayerCache c, float[] dMixed, float[] dQ, float[] dK, float[] dV, int n)
    {
        var d = config.Dimension;
        var hs = config.HeadDimension;
        var scale = (float)(1 / Math.Sqrt(hs));
        var keys = new float[hs * n];
        var values = new float[hs * n];
        var dKeys = new float[hs * n];
        var dValues = new float[hs * n];
        var dRow = new float[n];
        for (var head = 0; head < config.Heads; head++)
        {
            Transpose(c.K, keys, head, n);
            Transpose(c.V, values, head, n);
            System.Array.Clear(dKeys);
            System.Array.Clear(dValues);
            var probabilities = c.Probabilities[head];
            for (var p = 0; p < n; p++)
            {
                var row = probabilities.AsSpan(p * n, p + 1);
                var dScores = dRow.AsSpan(0, p + 1);
                dScores.Clear();
                var offset = (p * d) + (head * hs);
                for (var i = 0; i < hs; i++)
                {
                    var dm = dMixed[offset + i];
                    TensorPrimitives.MultiplyAdd(values.AsSpan(i * n, p + 1), dm, dScores, dScores);
                    var dv = dValues.AsSpan(i * n, p + 1);
                    TensorPrimitives.MultiplyAdd(row, dm, dv, dv);
                }

                // Softmax backward: dS = P ∘ (dP − Σ dP∘P), times the score scale.
                var weighted = TensorPrimitives.Dot(dScores, row);
                TensorPrimitives.Subtract(dScores, weighted, dScores);
                TensorPrimitives.Multiply(dScores, row, dScores);
                TensorPrimitives.Multiply(dScores, scale, dScores);
                for (var i = 0; i < hs; i++)
                {
                    dQ[offset + i] += TensorPrimitives.Dot(dScores, keys.AsSpan(i * n, p + 1));
                    var dk = dKeys.AsSpan(i * n, p + 1);
                    TensorPrimitives.MultiplyAdd(dScores, c.Q[offset + i], dk, dk);
                }
            }

            for (var s = 0; s < n; s++)
            {
                for (var i = 0; i < hs; i++)
                {
                    dK[(s * d) + (head * hs) + i] += dKeys[(i * n) + s];
                    dV[(s * d) + (head * hs) + i] += dValues[(i * n) + s];
                }
            }
        }
    }

    private void Transpose(float[] source, float[] target, int head, int n)
    {
        var d = config.Dimension;
        var hs = config.HeadDimension;
        for (var s = 0; s < n; s++)
        {
            for (var i = 0; i < hs; i++)
            {
                target[(i * n) + s] = source[(s * d) + (head * hs) + i];
            }
        }
    }

    /// <summary>Rotates each head's pairs (2i, 2i+1) by the position's angle; <paramref name="inverse"/> rotates back (the backward).</summary>
    private void Rope(float[] x, int n, bool inverse)
    {
        var d = config.Dimension;
        var hs = config.HeadDimension;
        var half = hs / 2;
        for (var p = 0; p < n; p++)
        {
            for (var head = 0; head < config.Heads; head++)
            {
                var offset = (p * d) + (head * hs);
                for (var i = 0; i < half; i++)
                {
                    var cs = cos[(p * half) + i];
                    var sn = inverse ? -sin[(p * half) + i] : sin[(p * half) + i];
                    var a = x[offset + (2 * i)];
                    var b = x[offset + (2 * i) + 1];
                    x[offset + (2 * i)] = (a * cs) - (b * sn);
                    x[offset + (2 * i) + 1] = (a * sn) + (b * cs);
                }
            }
        }
    }

    private void RmsNorm(float[] x, float[] gain, float[] y, float[] scales, int n)
    {
        var d = config.Dimension;
        for (var p = 0; p < n; p++)
        {
            var row = x.AsSpan(p * d, d);
            var scale = (float)(1 / Math.Sqrt((TensorPrimitives.SumOfSquares(row) / d) + TinyModelConfig.NormEpsilon));
            scales[p] = scale;
            var outRow = y.AsSpan(p * d, d);
            TensorPrimitives.Multiply(row, scale, outRow);
            TensorPrimitives.Multiply(outRow, gain, outRow);
        }
    }

    /// <summary>y = x · s · g with s = 1/√(mean x² + ε): adds dL/dx to <paramref name="dx"/> and dL/dg to <paramref name="dGain"/>.</summary>
    private void RmsNormBackward(float[] x, float[] scales, float[] gain, float[] dy, float[] dx, float[] dGain, int n)
    {
        var d = config.Dimension;
        var scaled = new float[d];
        for (var p = 0; p < n; p++)
        {
            var row = x.AsSpan(p * d, d);
            var dyRow = dy.AsSpan(p * d, d);
            var s = scales[p];
            TensorPrimitives.Multiply(row, s, scaled);
            TensorPrimitives.MultiplyAdd(dyRow, scaled, dGain, dGain);

            // dx = s·(dy∘g) − x·s³/d · Σ(dy∘g∘x)
            TensorPrimitives.Multiply(dyRow, gain, scaled);
            var dot = TensorPrimitives.Dot(scaled, row);
            var dxRow = dx.AsSpan(p * d, d);
            TensorPrimitives.MultiplyAdd(scaled, s, dxRow, dxRow);
            TensorPrimitives.MultiplyAdd(row, -dot * s * s * s / d, dxRow, dxRow);
        }
    }

    private sealed record ForwardCache(LayerCache[] Layers, float[] FinalInput, float[] FinalScale, float[] FinalNormed, float[] Logits);

    private sealed class LayerCache(float[] input, int n, int d, int f, int heads)
    {
        public float[] Input { get; } = input;

        public float[] AttentionNormed { get; } = new float[n * d];

        public float[] AttentionScale { get; } = new float[n];

        public float[] Q { get; } = new float[n * d];

        public float[] K { get; } = new float[n * d];

        public float[] V { get; } = new float[n * d];

        public float[][] Probabilities { get; } = [.. Enumerable.Range(0, heads).Select(_ => new float[n * n])];

        public float[] Mixed { get; } = new float[n * d];

        public float[] Middle { get; } = new float[n * d];

        public float[] FeedForwardNormed { get; } = new float[n * d];

        public float[] FeedForwardScale { get; } = new float[n];

        public float[] Gate { get; } = new float[n * f];

        public float[] Up { get; } = new float[n * f];

        public float[] Activated { get; } = new float[n * f];

        public float[] Output { get; } = new float[n * d];
    }
}
