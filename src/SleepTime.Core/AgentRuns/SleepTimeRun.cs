namespace SleepTime;

/// <summary>
/// The visible record of one sleep-time run, whatever became of it. A run never fails or is skipped silently:
/// <see cref="Reason"/> says why it was skipped or what it did, <see cref="Error"/> why it failed.
/// </summary>
/// <param name="Triggers">Every trigger that asked for this run; triggers that arrive while a run is queued are coalesced into it.</param>
/// <param name="Attempt">1 for a first attempt; retries of a failed run count up.</param>
/// <param name="ReadFrom">The committed watermark the run read from.</param>
/// <param name="ReadTo">Where the watermark moved when the run committed; null when it did not.</param>
public sealed record SleepTimeRun(
    string Id,
    string SleepTimeAgentId,
    string PrimaryAgentId,
    SleepTimeRunStatus Status,
    IReadOnlyList<SleepTimeTrigger> Triggers,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Reason = null,
    string? Error = null,
    TokenUsage Usage = default,
    decimal? Cost = null,
    string? ChangeSetId = null,
    string? Model = null,
    SleepTimeWatermark ReadFrom = default,
    SleepTimeWatermark? ReadTo = null);
