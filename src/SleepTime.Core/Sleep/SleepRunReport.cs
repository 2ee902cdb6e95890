namespace SleepTime;

/// <summary>What one of the <c>k</c> independent runs did.</summary>
public sealed record SleepRunReport(
    int Index,
    bool Succeeded,
    int ModelCalls,
    int Rethinks,
    bool Finished,
    int Reminders,
    int ToolErrors,
    TokenUsage Usage,
    string? Model,
    SleepFailureReason? FailureReason,
    string? Error);
