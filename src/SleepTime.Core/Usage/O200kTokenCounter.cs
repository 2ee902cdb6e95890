using Microsoft.ML.Tokenizers;

namespace SleepTime;

/// <summary>Counts tokens with the o200k_base encoding (GPT-4o family), shipped offline with the package.</summary>
public sealed class O200kTokenCounter : ITokenCounter
{
    private static readonly Lazy<Tokenizer> SharedTokenizer =
        new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public static O200kTokenCounter Instance { get; } = new();

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : SharedTokenizer.Value.CountTokens(text);
}
