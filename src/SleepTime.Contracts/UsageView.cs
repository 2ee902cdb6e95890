namespace SleepTime.Server;

/// <summary>
/// Tokens as the provider reported them: <c>cached_input_tokens</c> (part of <c>input_tokens</c>) and
/// <c>reasoning_tokens</c> (part of <c>output_tokens</c>); <c>estimated</c> when any part was counted locally.
/// </summary>
public sealed record UsageView(long InputTokens, long OutputTokens, long ReasoningTokens, long TotalTokens, long CachedInputTokens = 0, bool Estimated = false)
{
    public static UsageView From(TokenUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.ReasoningTokens, usage.TotalTokens, usage.CachedInputTokens, usage.Estimated);
}
