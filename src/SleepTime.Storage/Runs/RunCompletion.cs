namespace SleepTime.Storage;

/// <summary>
/// How a run attempt ended, to be written in one transaction with what it produced: a context's learned context, or
/// a sleep-time agent's change set and watermark (<see cref="Agent"/>). <see cref="ReadFrom"/> is the watermark an agent
/// run that ends without committing read from (its watermark stays there).
/// </summary>
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
    string? Error = null,
    AgentRunCommit? Agent = null,
    string? Model = null,
    int ToolErrors = 0,
    SleepTimeWatermark? ReadFrom = null);

/// <summary>A sleep-time agent's part of a run's commit: the sleep's result, written with <see cref="AgentSleep.CommitAsync"/>.</summary>
public sealed record AgentRunCommit(SleepTimeAgent Sleeper, AgentSleepResult Result);
