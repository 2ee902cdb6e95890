namespace SleepTime.Storage;

/// <summary>How a run attempt ended, to be written in one transaction with the learned context it produced.</summary>
public sealed record RunCompletion(
    string RunId,
    int Attempt,
    string Status,
    TokenUsage Usage,
    double Cost,
    long? ContextVersion,
    LearnedContext? Learned = null,
    long? ExpectedLearnedVersion = null,
    string? Reason = null,
    string? Error = null);
