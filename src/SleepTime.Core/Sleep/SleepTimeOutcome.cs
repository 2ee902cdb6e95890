namespace SleepTime;

/// <summary>
/// What a sleep-time loop produced: the proposed block changes (not yet applied) or why it failed. A run that
/// succeeds without changes is a genuine no-op: the model said it was finished without editing anything.
/// </summary>
public sealed record SleepTimeOutcome(
    bool Succeeded,
    IReadOnlyList<BlockChange> Changes,
    TokenUsage Usage,
    string? Model,
    string PromptVersion,
    int ModelCalls,
    int ToolErrors,
    bool Finished,
    string? Error,
    SleepFailureReason? FailureReason = null);
