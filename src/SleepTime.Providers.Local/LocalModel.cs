using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace SleepTime.Providers.Local;

/// <summary>
/// One GGUF model loaded in this process, with a bounded pool of inference contexts. Thread-safe; share one per
/// file (see <see cref="LocalModels"/>): the weights are loaded once, and each call borrows a context.
/// </summary>
public sealed class LocalModel : IDisposable
{
    private readonly Lazy<int[]> digitLeadingTokens;

    private LocalModel(LocalModelSettings settings, LLamaWeights weights, ModelParams parameters)
    {
        Settings = settings;
        Weights = weights;
        Parameters = parameters;
        Contexts = new ContextPool(settings.MaxContexts, () => weights.CreateContext(parameters));
        digitLeadingTokens = new(() => [.. Enumerable.Range(0, weights.Vocab.Count).Where(id => weights.Vocab.LLamaTokenToString((LLama.Native.LLamaToken)id, false) is [>= '0' and <= '9', ..])]);
    }


    /// <summary>How the model was loaded.</summary>
    public LocalModelSettings Settings { get; }

    /// <summary>Tokens per context: prompt plus reply.</summary>
    public int ContextSize => (int)Parameters.ContextSize!.Value;

    /// <summary>The context length the model was trained with.</summary>
    public int TrainedContextSize => Weights.ContextSize;

    /// <summary>The size of the model's vocabulary.</summary>
    public int VocabularySize => Weights.Vocab.Count;

    internal LLamaWeights Weights { get; }

    /// <summary>The tokens whose text starts with a digit: what may not directly follow a number an inline tool wrote.</summary>
    internal int[] DigitLeadingTokens => digitLeadingTokens.Value;

    internal ModelParams Parameters { get; }

    internal ContextPool Contexts { get; }

    /// <summary>Loads <paramref name="settings"/>' file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">llama.cpp could not load it (not a GGUF model, or an architecture it does not know).</exception>
    public static LocalModel Load(LocalModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(settings.ModelPath))
        {
            throw new FileNotFoundException($"The local model file {settings.ModelPath} does not exist.", settings.ModelPath);
        }

        NativeLog.Install();
        var parameters = new ModelParams(settings.ModelPath)
        {
            Threads = settings.Threads,
            BatchThreads = settings.Threads,
            GpuLayerCount = 0,
        };

        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception ex) when (ex is LLama.Exceptions.RuntimeError)
        {
            throw new InvalidDataException($"llama.cpp could not load {settings.ModelPath} as a GGUF model: {ex.Message}", ex);
        }

        parameters.ContextSize = (uint)(settings.ContextSize ?? Math.Min(weights.ContextSize, LocalModelSettings.MaxDefaultContextSize));
        return new LocalModel(settings, weights, parameters);
    }

    /// <summary>The model's tokens for <paramref name="text"/>, with the start token when <paramref name="addStart"/> and the model wants one.</summary>
    /// <remarks>Special tokens written as text (e.g. <c>&lt;|im_start|&gt;</c> from a chat template) become those tokens.</remarks>
    public int[] Tokenize(string text, bool addStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Weights.Tokenize(text, addStart && Weights.Vocab.ShouldAddBOS, special: true, Encoding.UTF8);
        var result = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            result[i] = (int)tokens[i];
        }

        // A chat template that writes the start token itself would otherwise get a second one.
        if (result.Length >= 2 && result[0] == result[1] && Weights.Vocab.BOS is { } bos && result[0] == (int)bos)
        {
            return result[1..];
        }

        return result;
    }

    /// <summary>Counts the model's tokens in <paramref name="text"/> (without the start token).</summary>
    public int CountTokens(string text) => Tokenize(text, addStart: false).Length;

    /// <inheritdoc/>
    public void Dispose()
    {
        Contexts.Dispose();
        Weights.Dispose();
    }
}
