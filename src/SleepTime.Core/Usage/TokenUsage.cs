using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Tokens spent by one or more model calls. <see cref="Estimated"/> is true when any part was counted locally
/// because the provider reported none.
/// </summary>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long ReasoningTokens = 0,
    long CachedInputTokens = 0,
    bool Estimated = false)
{
    public static TokenUsage Zero => default;

    public long TotalTokens => InputTokens + OutputTokens;

    public static TokenUsage operator +(TokenUsage left, TokenUsage right) => new(
        left.InputTokens + right.InputTokens,
        left.OutputTokens + right.OutputTokens,
        left.ReasoningTokens + right.ReasoningTokens,
        left.CachedInputTokens + right.CachedInputTokens,
        left.Estimated || right.Estimated);

    public static TokenUsage Sum(IEnumerable<TokenUsage> usages) => usages.Aggregate(Zero, (sum, u) => sum + u);

    public UsageDetails ToUsageDetails() => new()
    {
        InputTokenCount = InputTokens,
        OutputTokenCount = OutputTokens,
        TotalTokenCount = TotalTokens,
        ReasoningTokenCount = ReasoningTokens,
        CachedInputTokenCount = CachedInputTokens,
    };
}
