namespace SleepTime;

/// <summary>The outcome of a sleep <c>S(c) -> c'</c>.</summary>
public sealed record SleepResult(
    string ContextId,
    SleepStatus Status,
    LearnedContext? LearnedContext,
    IReadOnlyList<SleepRunReport> Runs,
    TokenUsage Usage,
    TimeSpan Duration,
    SleepFailureReason? FailureReason = null,
    string? Error = null)
{
    public bool Succeeded => Status == SleepStatus.Succeeded;
}
