using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>What a run of the sleep loop did, whatever the strategy; <see cref="Verdict"/> is the failure policy both share.</summary>
internal sealed record SleepLoopResult(
    ChatResponse? LastReply, TokenUsage Usage, string? Model, int ModelCalls, int Reminders,
    int ToolCalls, int ToolErrors, string? LastToolError, SleepFailureReason? StoppedBy, string? StopError)
{
    /// <summary>
    /// Why the run failed, or null when the strategy's result stands: the pipeline stopped it (provider, budget); the
    /// model never called a tool; or every edit failed and it never said it was finished.
    /// </summary>
    public (SleepFailureReason Reason, string Error)? Verdict(bool edited, bool finished) =>
        StoppedBy is { } stopped ? (stopped, StopError!)
        : ToolCalls == 0 ? (SleepFailureReason.NoToolCalls, $"The sleep model never called a tool (reminded {Reminders} times).")
        : !edited && !finished && ToolErrors > 0 ? (SleepFailureReason.ToolErrors, $"No edit succeeded; the last of {ToolErrors} tool errors: {LastToolError}")
        : null;
}
