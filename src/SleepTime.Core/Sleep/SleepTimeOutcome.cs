namespace SleepTime;

/// <summary>
/// What a sleep-time loop produced: the proposed block changes (not yet applied) or the reason it failed.
/// A run that succeeds without changes is fine: nothing was worth remembering.
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
    string? Error);
