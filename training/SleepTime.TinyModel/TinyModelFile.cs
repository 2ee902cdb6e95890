namespace SleepTime.TinyModel;

/// <summary>Writes a llama-architecture model with the character vocabulary as a GGUF file the local provider loads.</summary>
public static class TinyModelFile
{
    /// <summary>ChatML, as a Jinja template: llama.cpp recognises it and formats prompts the same way.</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>Writes <paramref name="weights"/> (by tensor name, shaped as <see cref="TinyModelConfig.Tensors"/>) to <paramref name="path"/>.</summary>
    public static void Save(string path, string name, TinyModelConfig config, CharVocabulary vocabulary, IReadOnlyDictionary<string, float[]> weights)
    {
        config.Validate();
        if (config.VocabularySize != vocabulary.Count)
        {
            throw new ArgumentException($"The model has {config.VocabularySize} token embeddings but the vocabulary {vocabulary.Count} tokens.", nameof(vocabulary));
        }

        var writer = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", name)
            .Add("llama.context_length", (uint)config.ContextLength)
            .Add("llama.embedding_length", (uint)config.Dimension)
            .Add("llama.block_count", (uint)config.Layers)
            .Add("llama.feed_forward_length", (uint)config.FeedForward)
            .Add("llama.attention.head_count", (uint)config.Heads)
            .Add("llama.attention.head_count_kv", (uint)config.KeyValueHeads)
            .Add("llama.rope.dimension_count", (uint)config.HeadDimension)
            .Add("llama.attention.layer_norm_rms_epsilon", TinyModelConfig.NormEpsilon)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", vocabulary.Tokens)
            .Add("tokenizer.ggml.scores", Enumerable.Repeat(0f, vocabulary.Count).ToList())
            .Add("tokenizer.ggml.token_type", Enumerable.Range(0, vocabulary.Count).Select(vocabulary.TypeOf).ToList())
            .Add("tokenizer.ggml.unknown_token_id", (uint)CharVocabulary.Unknown)
            .Add("tokenizer.ggml.bos_token_id", (uint)CharVocabulary.Start)
            .Add("tokenizer.ggml.eos_token_id", (uint)CharVocabulary.End)
            .Add("tokenizer.ggml.eot_token_id", (uint)vocabulary.TurnEndId)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_space_prefix", false)
            .Add("tokenizer.chat_template", ChatTemplate);

        foreach (var (tensor, shape) in config.Tensors())
        {
            if (!weights.TryGetValue(tensor, out var data))
            {
                throw new ArgumentException($"No weights for {tensor}.", nameof(weights));
            }

            writer.AddTensor(tensor, shape, data);
        }

        writer.Save(path);
    }

    /// <summary>
    /// Seeded initial weights: norms at 1, matrices normal with standard deviation 0.02 (output projections scaled
    /// down by the depth, as in GPT-2), the same for the same seed on every machine.
    /// </summary>
    public static Dictionary<string, float[]> Initialize(TinyModelConfig config, int seed)
    {
        var random = new Random(seed);
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in config.Tensors())
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                System.Array.Fill(data, 1f);
            }
            else
            {
                var deviation = name.EndsWith("attn_output.weight", StringComparison.Ordinal) || name.EndsWith("ffn_down.weight", StringComparison.Ordinal)
                    ? 0.02 / Math.Sqrt(2 * config.Layers)
                    : 0.02;
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = (float)(deviation * Gaussian(random));
                }
            }

            weights[name] = data;
        }

        return weights;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
