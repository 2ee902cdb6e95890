using System.Text.Json;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>A legacy <c>POST /v1/completions</c> request as <see cref="FakeOpenAiServer"/> parsed it.</summary>
public sealed class FakeCompletionRequest
{
    /// <summary>The model the client asked for.</summary>
    public required string Model { get; init; }

    /// <summary>The prompt (the first one when an array was sent).</summary>
    public required string Prompt { get; init; }

    /// <summary>Whether the prompt should be echoed back (log-probability scoring of the prompt).</summary>
    public bool Echo { get; init; }

    /// <summary>The number of top log-probabilities asked for, or <see langword="null"/> when none were asked for.</summary>
    public int? Logprobs { get; init; }

    /// <summary><c>max_tokens</c>, when given (scoring requests usually send 0 or 1).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The whole request body.</summary>
    public required JsonElement Body { get; init; }
}

/// <summary>
/// The answer to a <c>POST /v1/completions</c> request: generated text plus, for scoring, the prompt's tokens and
/// their log-probabilities. The default (see <see cref="Score"/>) splits the prompt into word tokens.
/// </summary>
public sealed class FakeCompletionReply
{
    /// <summary>The generated text appended after the (echoed) prompt.</summary>
    public string Text { get; init; } = "";

    /// <summary>The prompt tokens with their log-probabilities; the first is <see langword="null"/>, as on real servers.</summary>
    public IReadOnlyList<(string Token, double? Logprob)> PromptTokens { get; init; } = [];

    /// <summary>
    /// Splits <paramref name="prompt"/> into tokens (each word with its leading whitespace, GPT style) and gives each a
    /// deterministic log-probability from <paramref name="logprob"/> (default: <c>-0.5 × (length % 4 + 1)</c>).
    /// The first token's log-probability is <see langword="null"/>.
    /// </summary>
    public static FakeCompletionReply Score(string prompt, Func<string, double>? logprob = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        logprob ??= token => -0.5 * (token.Trim().Length % 4 + 1);
        var tokens = Tokenize(prompt);
        return new FakeCompletionReply
        {
            PromptTokens = tokens.Select((t, i) => (t, i == 0 ? (double?)null : logprob(t))).ToArray(),
        };
    }

    /// <summary>Splits text into word tokens that keep their leading whitespace; concatenated they give the text back.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            var boundary = i == text.Length || (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]));
            if (boundary)
            {
                tokens.Add(text[start..i]);
                start = i;
            }
        }

        return tokens;
    }
}
