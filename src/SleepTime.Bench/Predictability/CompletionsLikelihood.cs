using System.Text.Json;

namespace SleepTime.Bench.Predictability;

/// <summary>
/// log P(question | context) from an OpenAI-compatible legacy completions endpoint that echoes prompt log-probabilities
/// (vLLM does; llama.cpp's server does not — it scores generated tokens only, and is refused with a clear error):
/// the prompt <c>context + "\n" + question</c> is sent with <c>echo: true, logprobs: 1, max_tokens: 0</c>, and the
/// log-probabilities of the tokens that start at or after the question's first character are summed.
/// </summary>
public sealed class CompletionsLikelihood(HttpClient http, Uri baseUrl, string model, string? apiKey = null) : IQuestionLikelihood
{
    public const string Separator = "\n";

    public async Task<QuestionLikelihood> ScoreAsync(string context, string question, CancellationToken cancellationToken = default)
    {
        var prefix = context + Separator;
        var prompt = prefix + question;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl.ToString().TrimEnd('/') + "/completions"))
        {
            // A buffered body with Content-Length: servers that read the length (not chunked transfer) see the whole prompt.
            Content = new StringContent(
                JsonSerializer.Serialize(new Dictionary<string, object> { ["model"] = model, ["prompt"] = prompt, ["echo"] = true, ["logprobs"] = 1, ["max_tokens"] = 0, ["temperature"] = 0 }),
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The completions endpoint answered {(int)response.StatusCode}: {Trim(body)}", null, response.StatusCode);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new SleepTimeException($"The completions endpoint did not answer JSON: {Trim(body)}");
        }

        using var _ = document;
        if (!document.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new SleepTimeException($"The completions endpoint's reply has no choices, so it is not an OpenAI-compatible completion: {Trim(body)}");
        }

        if (!choices[0].TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object)
        {
            throw new SleepTimeException("The completions endpoint returned no log-probabilities at all (choices[0].logprobs is missing); scoring needs `logprobs` support with `echo: true`.");
        }

        if (!logprobs.TryGetProperty("tokens", out var tokenArray) || tokenArray.ValueKind != JsonValueKind.Array
            || !logprobs.TryGetProperty("token_logprobs", out var logprobArray) || logprobArray.ValueKind != JsonValueKind.Array)
        {
            // Log-probabilities in another shape (e.g. llama.cpp's per generated token "content") cover generated text, not the prompt.
            throw new SleepTimeException(
                "The completions endpoint did not echo the prompt's log-probabilities (choices[0].logprobs.tokens and token_logprobs); it returned log-probabilities in another shape, for generated tokens only. " +
                "Scoring needs `echo: true` with `logprobs`, as vLLM serves it; llama.cpp's server ignores echo and scores generated tokens only.");
        }

        var tokens = tokenArray.EnumerateArray().Select(t => t.GetString() ?? string.Empty).ToList();
        var values = logprobArray.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToList();
        var offsets = logprobs.TryGetProperty("text_offset", out var o) && o.ValueKind == JsonValueKind.Array
            ? o.EnumerateArray().Select(v => v.GetInt32()).ToList()
            : CumulativeOffsets(tokens);

        // A token counts when it holds any question character: with word-level tokenizers the separator and the
        // question's first word can share one token.
        var questionStart = prefix.Length;
        var sum = 0.0;
        var count = 0;
        for (var i = 0; i < tokens.Count && i < values.Count && i < offsets.Count; i++)
        {
            if (offsets[i] + tokens[i].Length > questionStart && offsets[i] < prompt.Length && values[i] is { } value)
            {
                sum += value;
                count++;
            }
        }

        if (count > 0)
        {
            return new QuestionLikelihood(sum, count);
        }

        var covered = offsets.Count == 0 ? 0 : offsets[^1] + tokens[^1].Length;
        var echoedText = choices[0].TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? string.Empty : string.Empty;
        if (echoedText.StartsWith(prompt, StringComparison.Ordinal))
        {
            // The prompt came back as text, so echo works; its log-probabilities stop short of the question.
            throw new SleepTimeException(
                $"The completions endpoint echoed the prompt but returned log-probabilities for {tokens.Count} token(s) covering only {covered} of its {prompt.Length} characters, none of the question's (from character {questionStart}).");
        }

        // Only now is echo to blame: log-probabilities came back, but the prompt did not.
        throw new SleepTimeException(
            $"The completions endpoint did not echo the prompt's log-probabilities: it returned {tokens.Count} token(s) covering {covered} character(s), none of the question's (characters {questionStart} to {prompt.Length}). " +
            "Scoring needs `echo: true` with `logprobs`, as vLLM serves it; llama.cpp's server ignores echo and scores generated tokens only.");
    }

    private static List<int> CumulativeOffsets(List<string> tokens)
    {
        var offsets = new List<int>(tokens.Count);
        var at = 0;
        foreach (var token in tokens)
        {
            offsets.Add(at);
            at += token.Length;
        }

        return offsets;
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
