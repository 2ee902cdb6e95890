namespace SleepTime.TinyModel;

/// <summary>The shape of a llama-architecture model as llama.cpp runs it.</summary>
/// <param name="VocabularySize">Tokens in the vocabulary.</param>
/// <param name="Dimension">Width of the residual stream (d_model).</param>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="KeyValueHeads">Key/value heads (grouped-query attention when fewer than <paramref name="Heads"/>).</param>
/// <param name="FeedForward">Hidden width of the SwiGLU feed-forward.</param>
/// <param name="ContextLength">Tokens of context trained on.</param>
public sealed record TinyModelConfig(int VocabularySize, int Dimension = 128, int Layers = 4, int Heads = 4, int KeyValueHeads = 4, int FeedForward = 384, int ContextLength = 512)
{
    public const float NormEpsilon = 1e-5f;

    /// <summary>sleeptime-tiny's shape for a vocabulary.</summary>
    public static TinyModelConfig Default(int vocabularySize) => new(vocabularySize, ContextLength: 1024);

    /// <summary>A small shape for the one-minute smoke run and the gradient checks.</summary>
    public static TinyModelConfig Smoke(int vocabularySize) => new(vocabularySize, Dimension: 32, Layers: 2, Heads: 2, KeyValueHeads: 2, FeedForward: 64, ContextLength: 1024);

    public int HeadDimension => Dimension / Heads;

    public int KeyValueDimension => HeadDimension * KeyValueHeads;

    /// <summary>Every tensor by its GGUF name, with its shape in ggml order (innermost dimension first).</summary>
    public IReadOnlyList<(string Name, int[] Shape)> Tensors()
    {
        var tensors = new List<(string, int[])> { ("token_embd.weight", [Dimension, VocabularySize]) };
        for (var layer = 0; layer < Layers; layer++)
        {
            var block = $"blk.{layer}.";
            tensors.Add((block + "attn_norm.weight", [Dimension]));
            tensors.Add((block + "attn_q.weight", [Dimension, Dimension]));
            tensors.Add((block + "attn_k.weight", [Dimension, KeyValueDimension]));
            tensors.Add((block + "attn_v.weight", [Dimension, KeyValueDimension]));
            tensors.Add((block + "attn_output.weight", [Dimension, Dimension]));
            tensors.Add((block + "ffn_norm.weight", [Dimension]));
            tensors.Add((block + "ffn_gate.weight", [Dimension, FeedForward]));
            tensors.Add((block + "ffn_up.weight", [Dimension, FeedForward]));
            tensors.Add((block + "ffn_down.weight", [FeedForward, Dimension]));
        }

        tensors.Add(("output_norm.weight", [Dimension]));
        tensors.Add(("output.weight", [Dimension, VocabularySize]));
        return tensors;
    }

    public long ParameterCount => Tensors().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Checks that the shape is one llama.cpp can run.</summary>
    public void Validate()
    {
        if (VocabularySize < 4 || Dimension < 8 || Layers < 1 || Heads < 1 || FeedForward < 1 || ContextLength < 16)
        {
            throw new ArgumentException($"Not a usable model shape: {this}.");
        }

        if (Dimension % Heads != 0 || Heads % KeyValueHeads != 0 || HeadDimension % 2 != 0)
        {
            throw new ArgumentException($"Dimension must split into an even head size, and heads into key/value groups: {this}.");
        }
    }
}
