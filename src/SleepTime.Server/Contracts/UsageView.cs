namespace SleepTime.Server;

public sealed record UsageView(long InputTokens, long OutputTokens, long ReasoningTokens, long TotalTokens)
{
    public static UsageView From(TokenUsage usage) => new(usage.InputTokens, usage.OutputTokens, usage.ReasoningTokens, usage.TotalTokens);
}
