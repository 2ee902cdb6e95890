namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>
/// What a fake model server answers to one chat request: text, tool calls, an HTTP error, or any of these after a
/// delay. Build one with the factory methods; the same reply can be rendered by <see cref="FakeOpenAiServer"/> (OpenAI
/// chat completions), <c>FakeAnthropicServer</c> (Anthropic messages) and <c>FakeOllamaServer</c> (Ollama chat), each
/// in its own wire format, streaming or not, as the request asks.
/// </summary>
/// <remarks>Replies are immutable and may be enqueued more than once (a tool-call reply then repeats its call ids).</remarks>
public sealed record FakeReply
{
    /// <summary>The default number of prompt (input) tokens reported in usage.</summary>
    public const int DefaultPromptTokens = 11;

    /// <summary>The default number of completion (output) tokens reported in usage.</summary>
    public const int DefaultCompletionTokens = 7;

    private FakeReply(FakeReplyKind kind)
    {
        Kind = kind;
    }

    /// <summary>Which kind of reply this is.</summary>
    public FakeReplyKind Kind { get; }

    /// <summary>The assistant's text (for <see cref="FakeReplyKind.Text"/>).</summary>
    public string? Content { get; private init; }

    /// <summary>The tool calls the assistant requests (for <see cref="FakeReplyKind.ToolCalls"/>).</summary>
    public IReadOnlyList<FakeToolCall> ToolCallList { get; private init; } = [];

    /// <summary>Prompt (input) tokens reported in usage.</summary>
    public int PromptTokens { get; private init; } = DefaultPromptTokens;

    /// <summary>Completion (output) tokens reported in usage; include reasoning tokens, as OpenAI does.</summary>
    public int CompletionTokens { get; private init; } = DefaultCompletionTokens;

    /// <summary>Prompt tokens served from the provider's prompt cache (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public int CachedTokens { get; private init; }

    /// <summary>Hidden reasoning tokens (<c>completion_tokens_details.reasoning_tokens</c>).</summary>
    public int ReasoningTokens { get; private init; }

    /// <summary>Whether the response carries a <c>usage</c> object (see <see cref="NoUsage(string)"/>).</summary>
    public bool IncludeUsage { get; private init; } = true;

    /// <summary>The finish reason: <c>stop</c> for text, <c>tool_calls</c> for tool calls unless overridden.</summary>
    public string FinishReason { get; private init; } = "stop";

    /// <summary>The HTTP status of an error reply (for <see cref="FakeReplyKind.Error"/>).</summary>
    public int Status { get; private init; } = 200;

    /// <summary>The <c>Retry-After</c> header value of an error reply, sent verbatim (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; private init; }

    /// <summary>The error message of an error reply.</summary>
    public string? ErrorMessage { get; private init; }

    /// <summary>How long the server waits before answering (for <see cref="FakeReplyKind.Delay"/>).</summary>
    public TimeSpan DelayBy { get; private init; }

    /// <summary>The reply sent after the delay (for <see cref="FakeReplyKind.Delay"/>).</summary>
    public FakeReply? Then { get; private init; }

    /// <summary>When set, a streamed reply stops after its first chunk until the gate is opened (see <see cref="HeldAfterFirstChunk"/>).</summary>
    public FakeStreamGate? Gate { get; private init; }

    /// <summary>Whether a streamed reply cuts the connection after its first chunk (and after the gate, if any).</summary>
    public bool BreaksAfterFirstChunk { get; private init; }

    /// <summary>How long a streamed reply waits before each chunk after the first (a model that streams slowly).</summary>
    public TimeSpan ChunkDelay { get; private init; }

    /// <summary>A plain assistant text answer with usage.</summary>
    /// <param name="content">The assistant's text. Streamed word by word when the client asks for streaming.</param>
    /// <param name="promptTokens">Prompt (input) tokens reported in usage.</param>
    /// <param name="completionTokens">Completion (output) tokens reported in usage.</param>
    /// <param name="cachedTokens">Prompt tokens reported as served from cache.</param>
    /// <param name="reasoningTokens">Reasoning tokens reported inside the completion tokens.</param>
    public static FakeReply Text(
        string content,
        int promptTokens = DefaultPromptTokens,
        int completionTokens = DefaultCompletionTokens,
        int cachedTokens = 0,
        int reasoningTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(reasoningTokens);
        return new FakeReply(FakeReplyKind.Text)
        {
            Content = content,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            CachedTokens = cachedTokens,
            ReasoningTokens = reasoningTokens,
        };
    }

    /// <summary>The same as <see cref="Text"/> but the response has no <c>usage</c> field at all.</summary>
    public static FakeReply NoUsage(string content) => Text(content) with { IncludeUsage = false };

    /// <summary>
    /// The assistant asks for one or more tool calls (<c>finish_reason: "tool_calls"</c>); each call gets a fresh id
    /// in OpenAI's <c>call_…</c> shape, readable afterwards from <see cref="ToolCallList"/>.
    /// </summary>
    /// <param name="calls">Function name and JSON arguments of each call, e.g. <c>("get_weather", "{\"city\":\"Oslo\"}")</c>.</param>
    public static FakeReply ToolCalls(params (string name, string jsonArguments)[] calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Length == 0)
        {
            throw new ArgumentException("At least one tool call is needed.", nameof(calls));
        }

        return new FakeReply(FakeReplyKind.ToolCalls)
        {
            ToolCallList = calls.Select(c => new FakeToolCall(FakeIds.ToolCallId(), c.name, c.jsonArguments)).ToArray(),
            FinishReason = "tool_calls",
        };
    }

    /// <summary>An HTTP error in the provider's error JSON shape (OpenAI: <c>{"error":{"message","type","code"}}</c>).</summary>
    /// <param name="status">The HTTP status code, e.g. 429, 500, 400.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header value (seconds such as <c>"7"</c>, or an HTTP date), or none.</param>
    /// <param name="message">The error message inside the JSON body.</param>
    public static FakeReply Error(int status, string? retryAfter = null, string message = "The fake server was told to fail this request.")
    {
        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An error reply needs a 4xx or 5xx status.");
        }

        return new FakeReply(FakeReplyKind.Error) { Status = status, RetryAfter = retryAfter, ErrorMessage = message };
    }

    /// <summary>
    /// Waits <paramref name="delay"/> (real time) before sending <paramref name="then"/>; use a delay longer than the
    /// client's timeout to simulate a hung server. The wait ends early when the client disconnects.
    /// </summary>
    public static FakeReply Delay(TimeSpan delay, FakeReply then)
    {
        ArgumentNullException.ThrowIfNull(then);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new FakeReply(FakeReplyKind.Delay) { DelayBy = delay, Then = then };
    }

    /// <summary>A copy of this reply with another finish reason (e.g. <c>length</c>).</summary>
    public FakeReply WithFinishReason(string finishReason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(finishReason);
        return this with { FinishReason = finishReason };
    }

    /// <summary>A copy of this reply that, when streamed, waits after its first chunk until <paramref name="gate"/> is opened.</summary>
    public FakeReply HeldAfterFirstChunk(FakeStreamGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return this with { Gate = gate };
    }

    /// <summary>A copy of this reply that, when streamed, drops the connection after its first chunk: a model that dies mid-answer.</summary>
    public FakeReply BreakingAfterFirstChunk() => this with { BreaksAfterFirstChunk = true };

    /// <summary>A copy of this reply that, when streamed, waits <paramref name="delay"/> before each chunk after the first.</summary>
    public FakeReply StreamedEvery(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return this with { ChunkDelay = delay };
    }

    /// <summary>A copy of this reply without a <c>usage</c> field.</summary>
    public FakeReply WithoutUsage() => this with { IncludeUsage = false };

    /// <summary>The reply that is finally sent once any delays have passed.</summary>
    internal FakeReply Final => Kind == FakeReplyKind.Delay ? Then!.Final : this;

    /// <summary>The total delay before <see cref="Final"/> is sent.</summary>
    internal TimeSpan TotalDelay => Kind == FakeReplyKind.Delay ? DelayBy + Then!.TotalDelay : TimeSpan.Zero;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        FakeReplyKind.Text => $"Text(\"{Content}\")",
        FakeReplyKind.ToolCalls => $"ToolCalls({string.Join(", ", ToolCallList.Select(c => c.Name))})",
        FakeReplyKind.Error => $"Error({Status})",
        _ => $"Delay({DelayBy}, {Then})",
    };
}

/// <summary>The kinds of <see cref="FakeReply"/>.</summary>
public enum FakeReplyKind
{
    /// <summary>Assistant text.</summary>
    Text,

    /// <summary>Assistant tool calls.</summary>
    ToolCalls,

    /// <summary>An HTTP error status with an error body.</summary>
    Error,

    /// <summary>Another reply after a delay.</summary>
    Delay,
}
